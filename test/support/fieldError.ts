import { FieldError } from '../../nodes/Nyne/actions/validation';

/** The FieldError `run` throws; fails the test when it throws nothing or something else. */
export function fieldError(run: () => unknown): FieldError {
	try {
		run();
	} catch (error) {
		if (error instanceof FieldError) return error;
		throw error;
	}
	throw new Error('expected a FieldError, but nothing was thrown');
}
