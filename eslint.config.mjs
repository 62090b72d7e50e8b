import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import jsonParser from 'jsonc-eslint-parser';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'bench/**', 'examples/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tsParser, ecmaVersion: 2022, sourceType: 'module' },
	},
	{
		// package.json and each node's codex file (.node.json): the plugin's JSON rules read both.
		files: ['package.json', 'nodes/**/*.node.json'],
		languageOptions: { parser: jsonParser },
	},
	n8nCommunityNodesPlugin.configs.recommended,
];
