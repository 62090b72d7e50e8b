import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { personProperties } from './actions/person';
import { route } from './actions/router';
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
			...personProperties,
		],
	};

	methods = { credentialTest: { nyneApiCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
