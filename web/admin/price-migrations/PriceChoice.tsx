import type { Plan } from '../app/types.js';
import { priceLabel } from './labels.js';

/** The old prices (any number, archived ones included) and the one new price, from the catalog. */
export function PriceChoice(props: {
  plans: Plan[];
  from: string[];
  to: string;
  onFrom(ids: string[]): void;
  onTo(id: string): void;
}) {
  const recurring = props.plans.flatMap((plan) =>
    plan.prices.filter((p) => p.interval !== null).map((price) => ({ plan, price })),
  );
  const toggle = (id: string, on: boolean) =>
    props.onFrom(on ? [...props.from, id] : props.from.filter((f) => f !== id));
  return (
    <>
      <fieldset className="event-types">
        <legend>Old prices</legend>
        {recurring.map(({ plan, price }) => (
          <label key={price.id} className="check">
            <input
              type="checkbox"
              checked={props.from.includes(price.stripe_price_id)}
              onChange={(e) => toggle(price.stripe_price_id, e.target.checked)}
            />{' '}
            {priceLabel(plan, price)}
          </label>
        ))}
      </fieldset>
      <label>
        New price{' '}
        <select value={props.to} onChange={(e) => props.onTo(e.target.value)}>
          <option value="">Choose a price</option>
          {recurring
            .filter(({ price }) => price.active)
            .map(({ plan, price }) => (
              <option key={price.id} value={price.stripe_price_id}>
                {priceLabel(plan, price)}
              </option>
            ))}
        </select>
      </label>
    </>
  );
}
