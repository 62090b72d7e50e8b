/**
 * The credentials side of n8n for tests: a credential-type registry and an `ICredentialsHelper` that behaves
 * like n8n CLI's CredentialsHelper for what nodes can observe.
 *
 * - Credentials are stored encrypted, with n8n-core's `Credentials` class (AES through `Cipher`), as n8n keeps
 *   them in its database; `getDecrypted` decrypts them, fills in the credential type's defaults
 *   (`NodeHelpers.getNodeParameters`) and resolves `={{ }}` expressions in the values, as n8n does.
 * - `authenticate` applies the credential type's `authenticate`: a function is called; a generic
 *   (`type: 'generic'`) definition has its keys and values resolved as expressions with `$credentials` and
 *   merged into `headers` / `qs` / `body` / `auth` of the request, exactly as n8n does.
 * No database, no external secrets, no credential overwrites, no dynamic (per-user) credentials.
 */
import { Credentials, ExternalSecretsProxy, getAdditionalKeys } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentialsExpressionResolveValues,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IWorkflowDataProxyAdditionalKeys,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { NyneApi } from '../../credentials/NyneApi.credentials';

/** Credential types known to the harness, by name. */
export class CredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[] = [new NyneApi()]) {
		for (const type of types) this.register(type);
	}

	register(type: ICredentialType): void {
		this.types.set(type.name, type);
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type)
			throw new Error(`Unknown credential type "${name}" (register it with the harness first)`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.getByName(name).extends ?? [];
		return parents.flatMap((parent) => [
			parent,
			...(this.recognizes(parent) ? this.getParentTypes(parent) : []),
		]);
	}
}

interface StoredCredential {
	credentials: Credentials;
	type: string;
}

/** `{ id, name }` that a node's `credentials` entry points at, for a type's test credential. */
export function credentialRef(type: string): INodeCredentialsDetails {
	return { id: `harness-${type}`, name: `${type} (test)` };
}

const mockNode: INode = {
	id: 'harness-credential-resolver',
	name: '',
	type: 'n8n-nodes-nyne-harness.credentialResolver',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const emptyNodeTypes: INodeTypes = {
	getByName: () => {
		throw new Error('no node types in the credential resolver workflow');
	},
	getByNameAndVersion: () => {
		throw new Error('no node types in the credential resolver workflow');
	},
	getKnownTypes: () => ({}),
};

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly store = new Map<string, StoredCredential>();

	constructor(readonly credentialTypes: CredentialTypes = new CredentialTypes()) {
		super();
	}

	/** Stores (encrypted) the data of a credential of `type`; returns the reference nodes use for it. */
	async setCredential(
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<INodeCredentialsDetails> {
		this.credentialTypes.getByName(type);
		const ref = credentialRef(type);
		const credentials = new Credentials({ id: ref.id, name: ref.name }, type);
		await credentials.setData(data);
		this.store.set(ref.id!, { credentials, type });
		return ref;
	}

	/** What n8n would have in its database for the credential: type and ciphertext only. */
	storedCiphertext(type: string): string | undefined {
		return this.store.get(credentialRef(type).id!)?.credentials.getDataToSave().data;
	}

	private stored(nodeCredentials: INodeCredentialsDetails, type: string): StoredCredential {
		if (!nodeCredentials.id) {
			throw new Error(`The node's "${type}" credential has no ID (name "${nodeCredentials.name}")`);
		}
		const stored = this.store.get(nodeCredentials.id);
		if (!stored || stored.type !== type) {
			throw new Error(
				`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`,
			);
		}
		return stored;
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).some(
			(supported) => nodeType === supported || nodeType.endsWith(`.${supported}`),
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!workflow || !node) {
			throw new Error('Workflow and node are required for declarative credential authentication');
		}
		requestOptions.headers ??= {};
		if (authenticate.type === 'generic') {
			const target = requestOptions as unknown as Record<string, Record<string, string>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
					const valueResolved = this.resolveValue(
						value,
						{ $credentials: credentials },
						workflow,
						node,
					);
					target[outerKey] ??= {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	/** Resolves a `={{ }}` value of a generic authenticate definition, as n8n's CredentialsHelper does. */
	private resolveValue(
		value: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		const ref = node.credentials?.[typeName];
		if (ref) await this.updateCredentials(ref, typeName, { ...credentials, ...output });
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (
			((await type.preAuthentication.call(
				helpers,
				credentials,
			)) as ICredentialDataDecryptedObject) ?? undefined
		);
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		return this.stored(nodeCredentials, type).credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const decrypted = await this.stored(nodeCredentials, type).credentials.getData();
		if (raw === true) return decrypted;
		return await this.applyDefaults(
			additionalData,
			decrypted,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Credential defaults, then expressions resolved (against the running item when there is one). */
	private async applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		original: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const properties = this.getCredentialsProperties(type);
		let data = NodeHelpers.getNodeParameters(
			properties,
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				data = expressionResolveValues.workflow.expression.getParameterValue(
					data as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				if (error instanceof Error) error.message += ' [Error resolving credentials]';
				throw error;
			}
			return data;
		}
		const workflow = new Workflow({
			nodes: [],
			connections: {},
			active: false,
			nodeTypes: emptyNodeTypes,
		});
		return workflow.expression.getComplexParameterValue(
			mockNode,
			data as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			data,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.stored(nodeCredentials, type).credentials.setData(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.stored(nodeCredentials, type).credentials.updateData({
			oauthTokenData: data.oauthTokenData,
		});
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}

/** What n8n-core needs on `additionalData` for `$secrets` while resolving credentials: an empty proxy. */
export function newExternalSecretsProxy(): ExternalSecretsProxy {
	return new ExternalSecretsProxy();
}
