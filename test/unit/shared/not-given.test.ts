/** Issue 28: "not given" has one meaning, and it differs from isBlank and nothingReached on purpose. */
import { isBlank, isNotGiven, nothingReached } from '../../../nodes/bulk/values';
import { blankToUndefined } from '../../../nodes/shared/field-schemas';

describe('isNotGiven', () => {
	it.each([undefined, null, '', '  ', '\t\n'])('%p is not given', (value) => {
		expect(isNotGiven(value)).toBe(true);
		expect(blankToUndefined(value)).toBeUndefined();
	});

	it.each([0, false, 'x', ' x '])('%p is given', (value) => {
		expect(isNotGiven(value)).toBe(false);
		expect(blankToUndefined(value)).toBe(value);
	});

	it('an empty list or object is given (isBlank calls it missing); null is not (nothingReached takes it as a value)', () => {
		for (const value of [[], {}]) {
			expect(isNotGiven(value)).toBe(false);
			expect(isBlank(value)).toBe(true);
		}
		expect(isNotGiven(null)).toBe(true);
		expect(nothingReached(null)).toBe(false);
	});
});
