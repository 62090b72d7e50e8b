/**
 * Multi-node workflows through n8n-core: Start → Nyne → Set, with expressions that follow paired items back
 * through the Nyne node.
 */
import { NODE_TYPES, runWorkflow, type WorkflowJson } from '../../harness';
import { leadsFor, requestIdFor, startNyneStub, type NyneStub } from './nyne-stub';

let nyne: NyneStub;
afterEach(async () => {
	await nyne?.close();
});

const workflow = (searchDescription: string): WorkflowJson => ({
	name: 'Find leads and tag them',
	nodes: [
		{ name: 'Start', type: NODE_TYPES.start },
		{
			name: 'Find Leads',
			type: NODE_TYPES.nyne,
			parameters: { operation: 'searchLeads', searchDescription, options: { pollInterval: 0.1 } },
			// As exported from n8n: the reference points at some other credential id; the harness replaces it.
			credentials: { nyneApi: { id: 'AbC123', name: 'Nyne account' } },
		},
		{
			name: 'Tag',
			type: NODE_TYPES.set,
			parameters: {
				fields: {
					values: [
						{ name: 'lead', value: '={{ $json.full_name }}' },
						{ name: 'campaign', value: "={{ $('Start').item.json.campaign }}" },
						{ name: 'job', value: "={{ $('Find Leads').item.json.request_id }}" },
					],
				},
			},
		},
	],
	connections: {
		Start: { main: [[{ node: 'Find Leads', type: 'main', index: 0 }]] },
		'Find Leads': { main: [[{ node: 'Tag', type: 'main', index: 0 }]] },
	},
});

describe('runWorkflow', () => {
	it('runs Start → Nyne → Set and resolves paired-item expressions across the Nyne node', async () => {
		nyne = await startNyneStub({ leadsPerJob: 2 });
		const description = 'Founders raising a seed round';

		const result = await runWorkflow(workflow('={{ $json.who }}'), {
			items: [{ who: description, campaign: 'spring' }],
			credentials: { apiKey: 'key', apiSecret: 'secret', baseUrl: nyne.url },
		});

		const requestId = requestIdFor(description);
		expect(result.executionStatus).toBe('success');
		expect(result.executionOrder).toEqual(['Start', 'Find Leads', 'Tag']);
		expect(result.nodes['Find Leads'].items).toHaveLength(2);
		expect(result.nodes.Tag.items.map((item) => item.json)).toEqual(
			leadsFor(requestId, 2).map((lead) => ({
				lead: lead.full_name,
				campaign: 'spring',
				job: requestId,
			})),
		);
		expect(result.nodes.Tag.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
		expect(nyne.requests.every((request) => request.headers['x-api-key'] === 'key')).toBe(true);
	});

	it('stops at the failing node and reports its error by node name', async () => {
		nyne = await startNyneStub();

		const result = await runWorkflow(workflow('too short'), {
			credentials: { apiKey: 'key', apiSecret: 'secret', baseUrl: nyne.url },
		});

		expect(result.executionStatus).toBe('error');
		expect(result.nodes['Find Leads'].error?.message).toContain('Search Description');
		expect(result.nodes.Tag).toBeUndefined();
		expect(result.error?.message).toBe(result.nodes['Find Leads'].error?.message);
	});
});
