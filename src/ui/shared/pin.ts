/** The PIN rules as the screens say them: the contract's check, in the UI's language. */
import { pinWeakness } from '../../server/contract/index.ts';
import type { MessageKey } from './i18n.ts';

/** Why a new PIN is refused, as a message key; null when it is strong enough. */
export function pinProblemKey(pin: string): MessageKey | null {
  const weakness = pinWeakness(pin);
  if (weakness === null) return null;
  return weakness === 'format' ? 'setup.pinFormat' : `pin.weak.${weakness}`;
}
