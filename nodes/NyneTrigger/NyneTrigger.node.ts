import { createHash, timingSafeEqual } from 'crypto';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { JOB_TYPE_OPTIONS } from '../shared/descriptions';
import { jobResultItems, readCallback } from '../shared/jobOutput';
import { JOB_KINDS, type JobKind } from '../shared/nyneApi';
import { firstDelivery, type TriggerStaticData } from './deliveries';

/** The key under which every item carries the callback URL's query parameters (all but `token`). */
const CALLBACK_PARAMS_KEY = 'callback_params';

/** The callback URL's query parameters but `token` (in any case), so a secret never reaches an item. */
function callbackParams(query: IDataObject): IDataObject | undefined {
	const params = Object.fromEntries(
		Object.entries(query ?? {}).filter(([name]) => name.toLowerCase() !== 'token'),
	);
	return Object.keys(params).length > 0 ? params : undefined;
}

/** Compares in constant time, so response timing does not reveal how much of a guessed token was right. */
function tokenMatches(given: unknown, expected: string): boolean {
	if (typeof given !== 'string') return false;
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

export class NyneTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nyne Trigger',
		name: 'nyneTrigger',
		icon: { light: 'file:nyne.svg', dark: 'file:nyne.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["jobTypes"].length ? $parameter["jobTypes"].join(", ") : "All job types" }}',
		description: 'Starts the workflow when Nyne delivers a finished job to its callback URL',
		defaults: { name: 'Nyne Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty: n8n answers {"message":"Workflow was started"} (unset, it would send a placeholder text).
				responseData: '',
				path: 'nyne',
			},
		],
		properties: [
			{
				displayName:
					"Copy this node's Production URL (above) into the Callback URL option of a Nyne node set to Submit Only. If you set a Token, append ?token=YOUR_TOKEN to that URL.",
				name: 'callbackNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName:
					'No Token set: anyone who learns this Production URL can start this workflow with made-up results. Set a Token and append ?token=YOUR_TOKEN to the Callback URL.',
				name: 'tokenNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { token: [''] } },
			},
			{
				displayName: 'Job Types',
				name: 'jobTypes',
				type: 'multiOptions',
				options: JOB_TYPE_OPTIONS,
				default: [],
				description: 'Which jobs start the workflow. Leave empty for all.',
			},
			{
				displayName: 'Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'If set, only callbacks whose URL carries ?token= with this value are accepted; others get 401 and start nothing',
			},
			{
				displayName: 'Include Failed Jobs',
				name: 'includeFailed',
				type: 'boolean',
				default: true,
				description: 'Whether jobs that ended with status failed start the workflow',
			},
			{
				displayName: 'Include Jobs With No Results',
				name: 'includeEmpty',
				type: 'boolean',
				default: false,
				description:
					'Whether lead and interaction jobs that found nothing start the workflow, with one item: request_id, job_type, status and results_count 0',
			},
			{
				displayName: 'Split Results',
				name: 'splitResults',
				type: 'boolean',
				default: true,
				description:
					'Whether to output one item per lead or interaction, as the Nyne node does. Turn off to get one item with the whole job.',
			},
		],
	};

	// Nyne has no API to register callbacks: each job names its callback URL. There is nothing to create or
	// delete, so the lifecycle reports the webhook as existing.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const reject = (status: number, message: string): IWebhookResponseData => {
			response.status(status).json({ message });
			return { noWebhookResponse: true };
		};

		const token = this.getNodeParameter('token', '') as string;
		if (token && !tokenMatches((this.getQueryData() as IDataObject).token, token)) {
			return reject(401, 'Missing or wrong token in the callback URL.');
		}

		const body = this.getBodyData() as unknown;
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			return reject(400, 'Expected a JSON object from Nyne.');
		}
		const callback = readCallback(body as IDataObject);
		if (!callback) return reject(400, 'Not a Nyne callback: request_id is missing.');
		const { requestId } = callback;

		const accepted = (message: string): IWebhookResponseData => ({ webhookResponse: { message } });
		// A job whose kind is unknown passes the Job Types filter: it may be one of them, and it must not be lost.
		const jobTypes = (this.getNodeParameter('jobTypes', []) as string[]).filter(
			(type): type is JobKind => (JOB_KINDS as readonly string[]).includes(type),
		);
		if (callback.shaped && jobTypes.length > 0 && !jobTypes.includes(callback.kind)) {
			return accepted(`Ignored: ${callback.kind} jobs are not selected.`);
		}
		const failed = String(callback.status).toLowerCase() === 'failed';
		if (failed && !this.getNodeParameter('includeFailed', true))
			return accepted('Ignored: failed job.');

		const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
		const nodeKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		if (!firstDelivery(nodeKey, staticData, requestId, callback.status, Date.now())) {
			return accepted('Already received.');
		}

		let items: IDataObject[];
		if (!callback.shaped) {
			// Never acknowledge and drop: what cannot be shaped is delivered as received.
			items = [
				{
					request_id: requestId,
					status: callback.status ?? null,
					job_type: 'unknown',
					payload: body as IDataObject,
				},
			];
		} else {
			const split = this.getNodeParameter('splitResults', true) as boolean;
			items = jobResultItems(callback.kind, callback.jobData, split).map((item) => ({
				...item,
				job_type: callback.kind,
			}));
			if (items.length === 0) {
				if (!this.getNodeParameter('includeEmpty', false))
					return accepted('Received: the job has no results.');
				items = [
					{
						request_id: requestId,
						job_type: callback.kind,
						status: callback.status ?? null,
						results_count: 0,
					},
				];
			}
		}
		const params = callbackParams(this.getQueryData() as IDataObject);
		if (params) items = items.map((item) => ({ ...item, [CALLBACK_PARAMS_KEY]: params }));
		return { workflowData: [this.helpers.returnJsonArray(items)] };
	}
}
