'use strict';
/**
 * The benchmark's workflows, as the n8n editor would save them.
 *
 *   A  Start → Inputs → Nyne (Wait for Result, every option at its default)
 *   B  Start → Inputs → Submit (HTTP Request POST) → Wait 5 s → Poll (HTTP Request GET) → Completed? (IF)
 *        true → Done;  false → back to Wait 5 s
 *      Both HTTP Request nodes: Custom Auth credential (X-API-Key + X-API-Secret headers), Batching
 *      1 item per (window / limit) ms — i.e. "1 request per second" for 60/min —, Retry On Fail 5 tries
 *      5 s apart (the most the editor allows).
 *   C  Start → Inputs → Nyne (Submit Only, Callback URL = the trigger's production URL + ?token=…)
 *      and a published Nyne Trigger (same token) → Store (No Op)
 */

const PACKAGE = 'n8n-nodes-nyne';

let counter = 0;
function position() {
	counter += 1;
	return [(counter % 8) * 220, Math.floor(counter / 8) * 200];
}

function node(name, type, typeVersion, parameters, extra = {}) {
	return {
		id: `${name.replace(/\W+/g, '-')}-id`,
		name,
		type,
		typeVersion,
		position: position(),
		parameters,
		...extra,
	};
}

/** A workflow from nodes and edges [from, to, fromOutput = 0]. */
function workflow(name, nodes, edges) {
	const connections = {};
	for (const [from, to, output = 0] of edges) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Manual Trigger + Edit Fields (raw JSON) + Split Out: one item per row, no Code node (no task runner). */
function inputNodes(rows) {
	return [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('Input rows', 'n8n-nodes-base.set', 3.4, {
			mode: 'raw',
			jsonOutput: JSON.stringify({ rows }),
			options: {},
		}),
		node('Inputs', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', options: {} }),
	];
}
const INPUT_EDGES = [
	['Start', 'Input rows'],
	['Input rows', 'Inputs'],
];

const PATHS = { leads: '/person/leads', interests: '/person/interests' };

/** The Nyne node's operation fields for one input row (expressions, as a user maps them). */
function nyneOperationParameters(kind) {
	if (kind === 'leads')
		return { operation: 'searchLeads', searchDescription: '={{ $json.search_description }}' };
	return { operation: 'getInterests', email: '={{ $json.email }}', name: '={{ $json.name }}' };
}

/** The JSON body a user types into the HTTP Request node. */
function httpBodyExpression(kind) {
	if (kind === 'leads')
		return '={{ JSON.stringify({ search_description: $json.search_description }) }}';
	return '={{ JSON.stringify({ email: $json.email, name: $json.name }) }}';
}

/** `options`: the Nyne node's Options (default: all defaults); `continueOnFail`: error items instead of failing. */
function nyneWaitWorkflow({ kind, rows, credential, options = {}, continueOnFail = false }) {
	return workflow(
		`Bench A: Nyne ${kind} wait`,
		[
			...inputNodes(rows),
			node(
				'Nyne',
				`${PACKAGE}.nyne`,
				1,
				{ resource: 'person', ...nyneOperationParameters(kind), options },
				{
					credentials: { nyneApi: credential },
					...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
				},
			),
		],
		[...INPUT_EDGES, ['Inputs', 'Nyne']],
	);
}

/**
 * The do-it-yourself version. `batchIntervalMs` spaces the requests at the documented limit
 * (window / perMinute); the same setting on both HTTP nodes.
 */
function httpLoopWorkflow({ kind, rows, credential, baseUrl, batchIntervalMs, waitSeconds = 5 }) {
	const common = {
		authentication: 'genericCredentialType',
		genericAuthType: 'httpCustomAuth',
		options: { batching: { batch: { batchSize: 1, batchInterval: batchIntervalMs } } },
	};
	const retry = { retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 };
	const credentials = { httpCustomAuth: credential };
	return workflow(
		`Bench B: HTTP Request ${kind} submit + poll loop`,
		[
			...inputNodes(rows),
			node(
				'Submit',
				'n8n-nodes-base.httpRequest',
				4.2,
				{
					method: 'POST',
					url: `${baseUrl}${PATHS[kind]}`,
					...common,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: httpBodyExpression(kind),
				},
				{ credentials, ...retry },
			),
			node(
				'Wait 5 s',
				'n8n-nodes-base.wait',
				1.1,
				{ amount: waitSeconds, unit: 'seconds' },
				{ webhookId: '5c0e3b0a-0b7e-4c4e-9a57-5b1f0e0b5e01' },
			),
			node(
				'Poll',
				'n8n-nodes-base.httpRequest',
				4.2,
				{
					method: 'GET',
					url: `${baseUrl}${PATHS[kind]}`,
					...common,
					sendQuery: true,
					queryParameters: {
						parameters: [{ name: 'request_id', value: '={{ $json.data.request_id }}' }],
					},
				},
				{ credentials, ...retry },
			),
			node('Completed?', 'n8n-nodes-base.if', 2.2, {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [
						{
							id: 'c0mp1e7e-0000-4000-8000-000000000001',
							leftValue: '={{ $json.data.status }}',
							rightValue: 'completed',
							operator: { type: 'string', operation: 'equals' },
						},
					],
					combinator: 'and',
				},
				options: {},
			}),
			node('Done', 'n8n-nodes-base.noOp', 1, {}),
		],
		[
			...INPUT_EDGES,
			['Inputs', 'Submit'],
			['Submit', 'Wait 5 s'],
			['Wait 5 s', 'Poll'],
			['Poll', 'Completed?'],
			['Completed?', 'Done', 0],
			['Completed?', 'Wait 5 s', 1],
		],
	);
}

function nyneSubmitWorkflow({ kind, rows, credential, callbackUrl }) {
	return workflow(
		`Bench C: Nyne ${kind} submit only with callback`,
		[
			...inputNodes(rows),
			node(
				'Nyne',
				`${PACKAGE}.nyne`,
				1,
				{
					resource: 'person',
					...nyneOperationParameters(kind),
					mode: 'submit',
					options: { callbackUrl },
				},
				{ credentials: { nyneApi: credential } },
			),
		],
		[...INPUT_EDGES, ['Inputs', 'Nyne']],
	);
}

function triggerWorkflow({ webhookId, token }) {
	return workflow(
		`Bench C: Nyne Trigger ${webhookId.slice(0, 8)}`,
		[
			node('Nyne Trigger', `${PACKAGE}.nyneTrigger`, 1, { token }, { webhookId }),
			node('Store', 'n8n-nodes-base.noOp', 1, {}),
		],
		[['Nyne Trigger', 'Store']],
	);
}

const ROLES = [
	'Marketing directors',
	'Heads of sales',
	'CTOs',
	'Founders',
	'Product managers',
	'Data engineers',
	'HR leaders',
	'Growth marketers',
	'DevOps leads',
	'CFOs',
];
const SECTORS = [
	'SaaS companies',
	'fintech startups',
	'healthcare providers',
	'e-commerce brands',
	'logistics firms',
];
const TOPICS = [
	'AI tools',
	'data privacy',
	'remote work',
	'developer experience',
	'pricing strategy',
	'cloud costs',
];
const FIRST = [
	'Sarah',
	'James',
	'Aisha',
	'Mateo',
	'Yuki',
	'Olga',
	'Kwame',
	'Priya',
	'Liam',
	'Elena',
	'Noah',
	'Fatima',
];
const LAST = [
	'Chen',
	'Smith',
	'Khan',
	'Garcia',
	'Tanaka',
	'Ivanova',
	'Mensah',
	'Patel',
	'Murphy',
	'Rossi',
	'Cohen',
];

/** N distinct, realistic inputs (distinct so nothing is deduplicated). */
function inputRows(kind, n) {
	const rows = [];
	for (let i = 0; i < n; i++) {
		if (kind === 'leads') {
			const role = ROLES[i % ROLES.length];
			const sector = SECTORS[Math.floor(i / ROLES.length) % SECTORS.length];
			const topic = TOPICS[i % TOPICS.length];
			rows.push({
				search_description: `${role} at ${sector} posting about ${topic} (segment ${i + 1})`,
			});
		} else {
			const first = FIRST[i % FIRST.length];
			const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
			rows.push({
				name: `${first} ${last}`,
				email: `${first}.${last}.${i + 1}@example.com`.toLowerCase(),
			});
		}
	}
	return rows;
}

module.exports = {
	nyneWaitWorkflow,
	httpLoopWorkflow,
	nyneSubmitWorkflow,
	triggerWorkflow,
	inputRows,
	PATHS,
};
