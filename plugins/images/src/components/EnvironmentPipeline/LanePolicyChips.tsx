import { parseEntityRef } from '@backstage/catalog-model';
import { EnvironmentLane, formatDuration } from '@berth/plugin-images-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import GroupIcon from '@material-ui/icons/Group';
import TimelapseIcon from '@material-ui/icons/Timelapse';
import { ReactElement } from 'react';
import { formatInTimeZone } from '../../utils/format';

const useStyles = makeStyles(theme => ({
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1),
  },
  frozen: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  icon: { color: 'inherit' },
}));

/** `group:default/release-managers` → `release-managers`, `group:ops/sre` → `ops/sre`. */
function groupName(entityRef: string): string {
  try {
    const { namespace, name } = parseEntityRef(entityRef, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return entityRef;
  }
}

const capitalized = (word: string) =>
  word.charAt(0).toLocaleUpperCase('en-US') + word.slice(1);

interface PolicyChip {
  id: string;
  label: string;
  title: string;
  icon: ReactElement;
}

/** The chips of a lane's release policies, in words; none when the environment has none worth saying. */
function policyChips(lane: EnvironmentLane): PolicyChip[] {
  const { frozen, upstreamFirst, approvals } = lane.policies ?? {};
  const chips: PolicyChip[] = [];
  if (frozen) {
    chips.push({
      id: 'frozen',
      label: `Frozen until ${formatInTimeZone(frozen.until, frozen.timeZone)}${
        frozen.reason ? ` (${frozen.reason})` : ''
      }`,
      title: `A freeze window is open: promotions into ${lane.name} are refused until then unless forced, with a reason`,
      icon: <AcUnitIcon />,
    });
  }
  if (upstreamFirst) {
    const { environment, soakSeconds } = upstreamFirst;
    const soak =
      soakSeconds === undefined
        ? undefined
        : formatDuration(soakSeconds * 1000);
    let label: string;
    if (!environment) label = 'Upstream first: no environment before it';
    else if (soak) label = `Soak ${soak} in ${environment} first`;
    else label = `${capitalized(environment)} first`;
    chips.push({
      id: 'upstream-first',
      label,
      title: environment
        ? `A digest enters ${lane.name} only once it ran in ${environment}${
            soak ? ` for at least ${soak}` : ''
          }`
        : `${lane.name} has no environment before it to run a digest in first: no promotion passes this rule unless forced`,
      icon: <TimelapseIcon />,
    });
  }
  // One approval from anyone is what the lock of a protected lane says already.
  if (
    approvals &&
    (approvals.count > 1 || approvals.group || !lane.protected)
  ) {
    const { count, group } = approvals;
    chips.push({
      id: 'approvals',
      label: `${count} approval${count === 1 ? '' : 's'}${
        group ? ` (${groupName(group)})` : ''
      }`,
      title: `A promotion into ${lane.name} waits for ${count} approval${
        count === 1 ? '' : 's'
      } from distinct people, not the requester${
        group ? `, only members of ${group}` : ''
      }`,
      icon: <GroupIcon />,
    });
  }
  return chips;
}

/**
 * A lane's release policies at a glance, before anyone plans a promotion: an open freeze window (filled, so that a
 * frozen lane stands out), where a digest must run first and for how long, and who approves. The plan checks them as
 * gates.
 */
export const LanePolicyChips = (props: { lane: EnvironmentLane }) => {
  const classes = useStyles();
  const chips = policyChips(props.lane);
  if (chips.length === 0) return null;
  return (
    <div
      className={classes.chips}
      data-testid={`lane-policies-${props.lane.name}`}
    >
      {chips.map(chip => (
        <Tooltip key={chip.id} title={chip.title}>
          <Chip
            size="small"
            variant={chip.id === 'frozen' ? 'default' : 'outlined'}
            className={chip.id === 'frozen' ? classes.frozen : undefined}
            classes={{ icon: chip.id === 'frozen' ? classes.icon : undefined }}
            icon={chip.icon}
            label={chip.label}
            data-testid={`lane-policy-${chip.id}`}
          />
        </Tooltip>
      ))}
    </div>
  );
};
