import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { assertSomeItemHasIdentifier } from '../../../nodes/bulk/bulk-session';
import type { InputSlot, ItemOutcome } from '../../../nodes/bulk/types';
import { skipItemsAlreadyHolding } from '../../../nodes/contact/contact-part';
import { NODE } from './helpers';

interface Input {
	id: string;
}

const itemsOf = (...jsons: IDataObject[]): INodeExecutionData[] => jsons.map((json) => ({ json }));
const missing = (label: string): InputSlot<Input> => ({
	kind: 'skipped',
	outcome: {
		kind: 'skipped',
		reason: `${label} is empty, so there is nothing to look up: not sent`,
		missingIdentifier: label,
	},
});
const alreadyHas = (fields: string): InputSlot<Input> => ({
	kind: 'skipped',
	outcome: {
		kind: 'skipped',
		reason: `already has ${fields} (Options › Only Enrich Items Missing): not sent`,
	},
});

describe('assertSomeItemHasIdentifier', () => {
	const catchError = (fn: () => void): unknown => {
		try {
			fn();
		} catch (error) {
			return error;
		}
		return undefined;
	};

	it('throws a NodeOperationError naming the label and the count when no item has an identifier', () => {
		const read = [missing('Prospect ID'), missing('Prospect ID'), missing('Prospect ID')];
		const error = catchError(() => assertSomeItemHasIdentifier(NODE, read, read));
		expect(error).toBeInstanceOf(NodeOperationError);
		const { message, description } = error as NodeOperationError;
		expect(message).toBe(
			'No item has a Prospect ID: all 3 were empty, so nothing was sent. The Prospect ID parameter is probably mapped to the wrong field.',
		);
		expect(description).toContain('Check the Prospect ID expression');
	});

	it("suggests the operation's other way to identify items when it has one", () => {
		const withOtherWay: InputSlot<Input> = {
			kind: 'skipped',
			outcome: {
				kind: 'skipped',
				reason: 'Prospect ID is empty',
				missingIdentifier: 'Prospect ID',
				otherWay: 'Identify Prospects By › Person Details',
			},
		};
		const error = catchError(() =>
			assertSomeItemHasIdentifier(NODE, [withOtherWay, withOtherWay], [withOtherWay, withOtherWay]),
		) as NodeOperationError;
		expect(error.description).toContain(
			'If the items have no Prospect ID but other details, use Identify Prospects By › Person Details.',
		);
		const without = catchError(() =>
			assertSomeItemHasIdentifier(NODE, [missing('ID')], [missing('ID')]),
		) as NodeOperationError;
		expect(without.description).not.toContain('use ');
	});

	it('throws when some (not all) were skipped as already complete and the rest still miss the identifier', () => {
		const read = [missing('ID'), missing('ID')];
		const final = [alreadyHas('email'), missing('ID')];
		expect(() => assertSomeItemHasIdentifier(NODE, read, final)).toThrow(
			'No item has a ID: all 2 were empty',
		);
	});

	it('does not throw when one item has an identifier', () => {
		const read: Array<InputSlot<Input>> = [
			missing('ID'),
			{ kind: 'valid', value: { id: 'a' } },
			missing('ID'),
		];
		expect(() => assertSomeItemHasIdentifier(NODE, read, read)).not.toThrow();
	});

	it('does not throw when one item has an invalid identifier (it is there, only wrong)', () => {
		const read: Array<InputSlot<Input>> = [
			missing('ID'),
			{ kind: 'invalid', field: 'id', message: 'ID: too short' },
		];
		expect(() => assertSomeItemHasIdentifier(NODE, read, read)).not.toThrow();
	});

	it('does not throw for items skipped for another reason (e.g. a row Match did not find)', () => {
		const notMatched: ItemOutcome = { kind: 'notFound', reason: 'no match' };
		const read: Array<InputSlot<Input>> = [
			{ kind: 'skipped', outcome: notMatched },
			{ kind: 'skipped', outcome: { kind: 'skipped', reason: 'already complete' } },
		];
		expect(() => assertSomeItemHasIdentifier(NODE, read, read)).not.toThrow();
	});

	it('does not throw when there are no items', () => {
		expect(() => assertSomeItemHasIdentifier(NODE, [], [])).not.toThrow();
	});

	it('does not throw when every item was skipped as already complete', () => {
		const read = [missing('ID'), missing('ID')];
		const items = itemsOf({ email: 'a@example.com' }, { email: 'b@example.com' });
		const final = skipItemsAlreadyHolding(items, read, ['email']);
		expect(() => assertSomeItemHasIdentifier(NODE, read, final)).not.toThrow();
	});
});
