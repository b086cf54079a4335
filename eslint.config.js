// The lint configuration lives with its tools in the tools/lint workspace.
export { default } from './tools/lint/eslint.config.js';
