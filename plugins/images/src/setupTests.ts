import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy/waitFor wait up to 1 s by default; a loaded CI machine can take longer to settle a render with a drawer
// and several async hooks.
configure({ asyncUtilTimeout: 5000 });
