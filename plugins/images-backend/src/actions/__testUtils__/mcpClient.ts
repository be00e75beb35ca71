import { mockCredentials } from '@backstage/backend-test-utils';
import { Server } from 'node:http';

/** The protocol version the client says it speaks (after initialization, a header on every request). */
const PROTOCOL_VERSION = '2025-06-18';

/** What `tools/call` answers: the action's output as text and as structured content, or an error sentence. */
export interface ToolResult {
  content: Array<{ type: string; text: string }>;
  structuredContent?: any;
  isError?: boolean;
}

/**
 * A minimal MCP client over Streamable HTTP, as an agent's would talk to the MCP actions backend: JSON-RPC POSTed
 * to `/api/mcp-actions/v1` with the user's token, answered by a server-sent event.
 */
export function mcpClient(server: Server) {
  const { port } = server.address() as { port: number };
  const url = `http://localhost:${port}/api/mcp-actions/v1`;
  let nextId = 1;

  async function rpc(
    method: string,
    params: Record<string, unknown>,
    as = 'user:default/ada',
  ): Promise<any> {
    const id = nextId++;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: mockCredentials.user.header(as),
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': PROTOCOL_VERSION,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`${method}: ${response.status} ${text}`);
    }
    const messages = text
      .split('\n')
      .filter(line => line.startsWith('data: '))
      .map(line => JSON.parse(line.slice('data: '.length)));
    const answer = messages.find(message => message.id === id);
    if (!answer) throw new Error(`${method}: no answer in ${text}`);
    if (answer.error) {
      throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
    }
    return answer.result;
  }

  return {
    initialize: () =>
      rpc('initialize', {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'berth-test-agent', version: '1.0.0' },
      }),
    listTools: async (): Promise<
      Array<{
        name: string;
        description: string;
        inputSchema: { required?: string[]; properties: object };
        annotations: Record<string, unknown>;
      }>
    > => (await rpc('tools/list', {})).tools,
    callTool: (
      name: string,
      args: Record<string, unknown>,
      as?: string,
    ): Promise<ToolResult> => rpc('tools/call', { name, arguments: args }, as),
  };
}
