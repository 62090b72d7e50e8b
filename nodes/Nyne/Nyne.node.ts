import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { execute } from './actions/execute';
import { description as personDescription } from './actions/person';
import { nyneApiCredentialTest } from './transport/credentialTest';

export class Nyne implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nyne',
		name: 'nyne',
		icon: { light: 'file:nyne.svg', dark: 'file:nyne.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Find leads, interests and social interactions of people with the Nyne API',
		defaults: { name: 'Nyne' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// A literal, not CREDENTIAL_TYPE: n8n's community lint matches credentials to their test by it.
		credentials: [{ name: 'nyneApi', required: true, testedBy: 'nyneApiCredentialTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Person', value: 'person' }],
				default: 'person',
			},
			...personDescription,
		],
	};

	methods = { credentialTest: { nyneApiCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
