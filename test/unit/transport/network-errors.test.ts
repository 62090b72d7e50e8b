/**
 * The transport's reading of n8n-core's HTTP errors. The shapes are the ones n8n-core 2.41.1 throws
 * (NodeApiError → AxiosError → Node's system error), as recorded against local servers; the failures a
 * test cannot cause on 127.0.0.1 without the network (DNS) are checked here, the rest through the real
 * HTTP path in test/integration/transport-errors.test.ts.
 */
import { NetworkError } from '../../../nodes/Nyne/engine/errors';
import {
	classifyNetworkError,
	InvalidBaseUrlError,
	networkFailureMessage,
	normaliseBaseUrl,
} from '../../../nodes/Nyne/transport';

/** n8n's wrapping: NodeApiError (code as httpCode) → AxiosError (code, request) → system error. */
function n8nError(code: string, system: Record<string, unknown> | undefined, message = code) {
	const axios = { isAxiosError: true, name: 'Error', code, message, request: {}, cause: system };
	return { name: 'NodeApiError', httpCode: code, message: 'n8n text', cause: axios };
}

describe('classifyNetworkError', () => {
	it.each([
		[
			'unknown host',
			n8nError('ENOTFOUND', { code: 'ENOTFOUND', syscall: 'getaddrinfo' }),
			'ENOTFOUND',
			'dns',
		],
		[
			'resolver hiccup',
			n8nError('EAI_AGAIN', { code: 'EAI_AGAIN', syscall: 'getaddrinfo' }),
			'EAI_AGAIN',
			'dns',
		],
		[
			'refused',
			n8nError('ECONNREFUSED', { code: 'ECONNREFUSED', syscall: 'connect' }),
			'ECONNREFUSED',
			'connect',
		],
		[
			'connect timeout',
			n8nError('ETIMEDOUT', { code: 'ETIMEDOUT', syscall: 'connect' }),
			'ETIMEDOUT',
			'connect',
		],
		[
			'no route to host',
			n8nError('EHOSTUNREACH', { code: 'EHOSTUNREACH', syscall: 'connect' }),
			'EHOSTUNREACH',
			'connect',
		],
		[
			'no scheme (NodeApiError only)',
			{ name: 'NodeApiError', httpCode: 'ERR_INVALID_URL', message: 'Invalid URL' },
			'ERR_INVALID_URL',
			'invalidUrl',
		],
		[
			'unsupported protocol (no request made)',
			{
				name: 'NodeApiError',
				httpCode: 'ERR_BAD_REQUEST',
				cause: {
					isAxiosError: true,
					code: 'ERR_BAD_REQUEST',
					message: 'Unsupported protocol ftp:',
				},
			},
			'ERR_BAD_REQUEST',
			'invalidUrl',
		],
		[
			'https against http',
			n8nError('EPROTO', { code: 'EPROTO', syscall: 'write' }),
			'EPROTO',
			'tls',
		],
		[
			'expired certificate',
			n8nError('CERT_HAS_EXPIRED', { code: 'CERT_HAS_EXPIRED' }),
			'CERT_HAS_EXPIRED',
			'tls',
		],
		[
			'wrong host name on the certificate',
			n8nError('ERR_TLS_CERT_ALTNAME_INVALID', { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
			'ERR_TLS_CERT_ALTNAME_INVALID',
			'tls',
		],
		[
			'closed in the handshake',
			n8nError(
				'ECONNRESET',
				{ code: 'ECONNRESET' },
				'Client network socket disconnected before secure TLS connection was established',
			),
			'ECONNRESET',
			'tls',
		],
		[
			'reset after sending',
			n8nError('ECONNRESET', { code: 'ECONNRESET' }, 'socket hang up'),
			'ECONNRESET',
			'noAnswer',
		],
		[
			'answer timeout',
			n8nError('ECONNABORTED', undefined, 'timeout of 30000ms exceeded'),
			'ECONNABORTED',
			'noAnswer',
		],
		['broken pipe', n8nError('EPIPE', { code: 'EPIPE', syscall: 'write' }), 'EPIPE', 'noAnswer'],
		['cancelled', n8nError('ERR_CANCELED', undefined, 'canceled'), 'ERR_CANCELED', 'cancelled'],
		['something unknown', new Error('boom'), 'EUNKNOWN', 'noAnswer'],
	])('%s', (_label, error, code, failure) => {
		expect(classifyNetworkError(error)).toEqual({ code, failure });
	});
});

describe('NetworkError: arrived or not, and whether retrying helps', () => {
	it.each([
		['connect', 'ECONNREFUSED', false, true],
		['dns', 'EAI_AGAIN', false, true],
		['dns', 'ENOTFOUND', false, false],
		['tls', 'EPROTO', false, false],
		['invalidUrl', 'ERR_INVALID_URL', false, false],
		['noAnswer', 'ECONNRESET', true, true],
	] as const)('%s (%s): may have arrived %s, retryable %s', (failure, code, arrived, retryable) => {
		const error = new NetworkError(code, 'message', failure);
		expect(error.requestMayHaveArrived).toBe(arrived);
		expect(error.retryable).toBe(retryable);
	});

	it('messages for failures before sending say nothing was sent and name the Base URL, without credentials', () => {
		for (const failure of ['invalidUrl', 'dns', 'connect', 'tls'] as const) {
			const message = networkFailureMessage('ECODE', failure, 'https://nyne.example.com:8443/base');
			expect(message).toContain('Nothing was sent to Nyne');
			expect(message).toContain('Base URL of the Nyne API credential');
			expect(message).toMatch(/nyne\.example\.com/);
		}
		expect(networkFailureMessage('ENOTFOUND', 'dns', 'https://nyne.example.com')).toContain(
			'The host name nyne.example.com could not be resolved',
		);
		expect(
			networkFailureMessage('ECONNRESET', 'noAnswer', 'https://nyne.example.com'),
		).not.toContain('Nothing was sent');
	});
});

describe('normaliseBaseUrl', () => {
	it('keeps an http(s) URL without trailing slashes, and defaults to Nyne', () => {
		expect(normaliseBaseUrl(' https://api.nyne.ai/ ')).toBe('https://api.nyne.ai');
		expect(normaliseBaseUrl('http://127.0.0.1:8787/proxy//')).toBe('http://127.0.0.1:8787/proxy');
		expect(normaliseBaseUrl('')).toBe('https://api.nyne.ai');
		expect(normaliseBaseUrl(undefined)).toBe('https://api.nyne.ai');
	});

	it.each([
		[
			'127.0.0.1:8787',
			'must be an http:// or https:// URL such as https://api.nyne.ai, but is "127.0.0.1:8787"',
		],
		['api.nyne.ai', 'must be an http:// or https:// URL'],
		['ftp://api.nyne.ai', 'must be an http:// or https:// URL'],
		['https://key:secret@api.nyne.ai', 'must not contain a user name or password'],
		['https://api.nyne.ai/?a=1', 'must not contain "?" or "#"'],
	])('rejects %s', (value, rule) => {
		expect(() => normaliseBaseUrl(value)).toThrow(InvalidBaseUrlError);
		expect(() => normaliseBaseUrl(value)).toThrow(
			`The Base URL of the Nyne API credential ${rule}`,
		);
	});

	it('never repeats a password it rejects', () => {
		for (const value of ['ftp://key:s3cret@api.nyne.ai', 'https://key:s3cret@api.nyne.ai']) {
			let message = '';
			try {
				normaliseBaseUrl(value);
			} catch (error) {
				message = (error as Error).message;
			}
			expect(message).toContain('The Base URL of the Nyne API credential');
			expect(message).not.toContain('s3cret');
		}
	});
});
