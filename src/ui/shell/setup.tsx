/**
 * The first-run wizard: store and register, then the administrator and their PIN (twice).
 * The request is checked with the contract's own schema before it is sent, and whatever the
 * server still refuses is shown next to the form.
 */
import { useState } from 'preact/hooks';
import { setupRequest } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { LANGUAGES, translate, type Lang, type MessageKey } from '../shared/i18n.ts';
import { pinProblemKey } from '../shared/pin.ts';

/** The label of each setup field, to name a refused one. */
const SETUP_LABELS: Record<string, MessageKey> = {
  storeName: 'setup.storeName', storeAddress: 'setup.storeAddress', registerId: 'setup.registerId',
  adminName: 'setup.adminName', adminPin: 'setup.adminPin', languages: 'setup.languages',
};

export function SetupWizard(props: { onDone(adminName: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [step, setStep] = useState<1 | 2>(1);
  const [storeName, setStoreName] = useState('');
  const [storeAddress, setStoreAddress] = useState('');
  const [registerId, setRegisterId] = useState('REG-1');
  const [languages, setLanguages] = useState<Lang[]>(['ru', 'kk']);
  const [adminName, setAdminName] = useState('admin');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const checkStep1 = (): string | null => {
    if (!storeName.trim()) return t('setup.required', { field: t('setup.storeName') });
    if (!registerId.trim()) return t('setup.required', { field: t('setup.registerId') });
    if (languages.length === 0) return t('setup.languagesRequired');
    return null;
  };

  const next = (e: Event) => {
    e.preventDefault();
    const problem = checkStep1();
    setError(problem);
    if (!problem) {
      setStep(2);
      setTimeout(() => document.getElementById('setup-admin-name')?.focus(), 0);
    }
  };

  const finish = async (e: Event) => {
    e.preventDefault();
    if (!adminName.trim()) return setError(t('setup.required', { field: t('setup.adminName') }));
    const weak = pinProblemKey(pin);
    if (weak) return setError(t(weak));
    if (pin !== pin2) return setError(t('setup.pinMismatch'));
    const body = setupRequest.safeParse({ storeName: storeName.trim(), storeAddress: storeAddress.trim(), registerId: registerId.trim(), adminName: adminName.trim(), adminPin: pin, languages });
    if (!body.success) {
      const issue = body.error.issues[0];
      // The field's own label and a translated reason: no validator English, no field path.
      const label = SETUP_LABELS[String(issue?.path[0] ?? '')];
      return setError(label ? t('error.field', { field: t(label), message: t('error.BAD_INPUT') }) : t('error.BAD_INPUT'));
    }
    setBusy(true);
    setError(null);
    try {
      await api.setup(body.data);
      props.onDone(body.data.adminName);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const toggleLang = (l: Lang) => setLanguages((cur) => (cur.includes(l) ? cur.filter((x) => x !== l) : LANGUAGES.filter((x) => x === l || cur.includes(x))));

  return (
    <main class="centered" id="setup">
      <section class="card wide">
        <h1>{t('setup.title')}</h1>
        <p class="muted">{t('setup.stepOf', { n: step, total: 2 })} — {step === 1 ? t('setup.step.store') : t('setup.step.admin')}</p>
        <ol class="steps" aria-hidden="true">
          <li class={step === 1 ? 'current' : 'done'}>{t('setup.step.store')}</li>
          <li class={step === 2 ? 'current' : ''}>{t('setup.step.admin')}</li>
        </ol>
        {error && <p class="form-error" role="alert" data-testid="form-error">{error}</p>}
        {step === 1 ? (
          <form onSubmit={next} noValidate>
            <div class="field">
              <label for="setup-store-name">{t('setup.storeName')}</label>
              <input id="setup-store-name" value={storeName} required maxLength={120} autoFocus onInput={(e) => setStoreName(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="setup-store-address">{t('setup.storeAddress')}</label>
              <input id="setup-store-address" value={storeAddress} maxLength={200} onInput={(e) => setStoreAddress(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="setup-register-id">{t('setup.registerId')}</label>
              <input id="setup-register-id" value={registerId} required maxLength={40} onInput={(e) => setRegisterId(e.currentTarget.value)} />
            </div>
            <fieldset class="field">
              <legend>{t('setup.languages')}</legend>
              <div class="checks">
                {LANGUAGES.map((l) => (
                  <label key={l} class="check">
                    <input type="checkbox" checked={languages.includes(l)} onChange={() => toggleLang(l)} />
                    <span lang={l}>{translate(l, `lang.${l}` as MessageKey)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <p class="muted">{t('setup.trainingNote')}</p>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" id="setup-next">{t('setup.next')}</button>
            </div>
          </form>
        ) : (
          <form onSubmit={finish} noValidate>
            <div class="field">
              <label for="setup-admin-name">{t('setup.adminName')}</label>
              <input id="setup-admin-name" value={adminName} required maxLength={64} autoComplete="username" onInput={(e) => setAdminName(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="setup-pin">{t('setup.adminPin')}</label>
              <input id="setup-pin" type="password" inputMode="numeric" autoComplete="new-password" value={pin} maxLength={12} onInput={(e) => setPin(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="setup-pin2">{t('setup.adminPin2')}</label>
              <input id="setup-pin2" type="password" inputMode="numeric" autoComplete="new-password" value={pin2} maxLength={12} onInput={(e) => setPin2(e.currentTarget.value)} />
            </div>
            <div class="form-actions">
              <button type="button" class="btn" onClick={() => { setError(null); setStep(1); }}>{t('setup.back')}</button>
              <button type="submit" class="btn btn-primary" id="setup-finish" disabled={busy}>{t('setup.finish')}</button>
            </div>
          </form>
        )}
      </section>
    </main>
  );
}
