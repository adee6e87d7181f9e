/**
 * The technician screen: configuration (store, register, registry connection and its test),
 * devices (assignment, raw monitor, test scan and print), the status cache (import, resync),
 * and logs with the diagnostics bundle.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Role } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { ApiFailure } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { LANGUAGES, translate, type Lang, type MessageKey } from '../shared/i18n.ts';
import { Tabs } from '../shared/layout.tsx';
import { CacheView } from './cache.tsx';
import { buildPatch, fieldOfServerError, formFromConfig, MASK, type ConfigForm } from './config-patch.ts';
import { DevicesView } from './devices.tsx';
import { LogsView, RegistryTest, TrainingControl } from './maintenance.tsx';

type Tab = 'config' | 'devices' | 'cache' | 'logs';

/** The label key of a settings field (the offline limit's label says its unit). */
function fieldLabel(field: keyof ConfigForm): MessageKey {
  return field === 'offlineLimitHours' ? 'config.offlineLimit' : `config.${field}` as MessageKey;
}

export function TechnicianScreen(props: { role: Role; trainingMode: boolean; onSaved(): void }) {
  const t = useT();
  const [tab, setTab] = useState<Tab>('config');
  return (
    <main class="page" id="technician">
      <h1 class="visually-hidden">{t('view.technician')}</h1>
      <Tabs<Tab> label={t('tech.tabs')} idPrefix="tech" active={tab} onChange={setTab}
        tabs={[{ key: 'config', label: t('tech.config') }, { key: 'devices', label: t('tech.devices') }, { key: 'cache', label: t('tech.cache') }, { key: 'logs', label: t('tech.logs') }]} />
      <div role="tabpanel" id="tech-panel" aria-labelledby={`tech-tab-${tab}`} class="tabpanel">
        {tab === 'config' && (
          <>
            <ConfigEditor onSaved={props.onSaved} />
            <div class="dev-grid">
              <RegistryTest />
              <TrainingControl />
            </div>
          </>
        )}
        {tab === 'devices' && <DevicesView trainingMode={props.trainingMode} />}
        {tab === 'cache' && <CacheView />}
        {tab === 'logs' && <LogsView />}
      </div>
    </main>
  );
}

type FieldProps = {
  field: keyof ConfigForm;
  label: MessageKey;
  form: ConfigForm;
  set(field: keyof ConfigForm, value: string): void;
  errors: Partial<Record<keyof ConfigForm, string>>;
  type?: 'text' | 'password';
  hint?: string;
  inputMode?: 'numeric' | 'url' | 'text';
};

function Field(p: FieldProps) {
  const t = useT();
  const id = `cfg-${p.field}`;
  const error = p.errors[p.field];
  const value = p.form[p.field];
  const described = [error ? `${id}-error` : '', p.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  const shown = Array.isArray(value) ? value.join(',') : value;
  const invalid = error ? true : undefined;
  const onInput = (e: Event) => p.set(p.field, (e.currentTarget as HTMLInputElement).value);
  return (
    <div class="field">
      <label for={id}>{t(p.label)}</label>
      {p.type === 'password' ? (
        <input id={id} type="password" autoComplete="off" inputMode={p.inputMode} value={shown} aria-invalid={invalid} aria-describedby={described} onInput={onInput} />
      ) : (
        <input id={id} type="text" inputMode={p.inputMode} value={shown} aria-invalid={invalid} aria-describedby={described} onInput={onInput} />
      )}
      {p.hint && <p id={`${id}-hint`} class="small muted">{p.hint}</p>}
      {error && <p id={`${id}-error`} class="field-error">{error}</p>}
    </div>
  );
}

/** Moves to a field with an error, clear of the sticky save bar. */
function focusField(field: keyof ConfigForm | undefined): void {
  const el = field ? document.getElementById(`cfg-${field}`) : null;
  el?.focus({ preventScroll: true });
  el?.scrollIntoView({ block: 'center' });
}

function ConfigEditor(props: { onSaved(): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [original, setOriginal] = useState<ConfigForm | null>(null);
  const [form, setForm] = useState<ConfigForm | null>(null);
  const [errors, setErrors] = useState<Partial<Record<keyof ConfigForm, string>>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.config().then((res) => {
      const f = formFromConfig(res.config);
      setOriginal(f);
      setForm(f);
    }, (err: unknown) => setMessage({ kind: 'error', text: errorText(err, lang) }));
  }, [api, lang]);

  if (!form || !original) return message ? <p class="form-error" role="alert">{message.text}</p> : <p role="status">{t('loading')}</p>;

  const set = (field: keyof ConfigForm, value: string) => setForm({ ...form, [field]: value });
  const toggleLang = (l: Lang) => setForm({ ...form, languages: form.languages.includes(l) ? form.languages.filter((x) => x !== l) : LANGUAGES.filter((x) => x === l || form.languages.includes(x)) });

  const save = async (e: Event) => {
    e.preventDefault();
    const { patch, problems } = buildPatch(form, original);
    if (problems.length) {
      setErrors(Object.fromEntries(problems.map((p) => [p.field, t('config.number', { field: t(fieldLabel(p.field)) })])));
      setMessage(null);
      focusField(problems[0]?.field);
      return;
    }
    if (Object.keys(patch).length === 0) return setMessage({ kind: 'ok', text: t('config.nothing') });
    setBusy(true);
    try {
      const res = await api.updateConfig(patch);
      const f = formFromConfig(res.config);
      setOriginal(f);
      setForm(f);
      setErrors({});
      setMessage({ kind: 'ok', text: t('config.saved') });
      props.onSaved();
    } catch (err) {
      // The server names the field by its path; people see its label and a translated reason.
      const field = err instanceof ApiFailure ? fieldOfServerError(err.message) : null;
      const text = field ? t('error.field', { field: t(fieldLabel(field)), message: errorText(err, lang) }) : errorText(err, lang);
      setErrors(field ? { [field]: text } : {});
      setMessage({ kind: 'error', text });
      if (field) focusField(field);
    } finally {
      setBusy(false);
    }
  };

  const common = { form, set, errors };
  return (
    <form class="config-form" onSubmit={save} noValidate id="config-form">
      {message && <p class={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="config-message">{message.text}</p>}
      <div class="config-columns">
        <fieldset>
          <legend>{t('config.store')}</legend>
          <Field field="storeName" label="config.storeName" {...common} />
          <Field field="storeAddress" label="config.storeAddress" {...common} />
          <Field field="storeBin" label="config.storeBin" inputMode="numeric" {...common} />
          <Field field="registerId" label="config.registerId" {...common} />
          <fieldset class="field">
            <legend>{t('config.languages')}</legend>
            <div class="checks">
              {LANGUAGES.map((l) => (
                <label key={l} class="check">
                  <input type="checkbox" checked={form.languages.includes(l)} onChange={() => toggleLang(l)} />
                  <span lang={l}>{translate(l, `lang.${l}` as MessageKey)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <Field field="offlineLimitHours" label="config.offlineLimit" inputMode="numeric" {...common} />
        </fieldset>
        <div>
          <fieldset>
            <legend>{t('config.ofd')}</legend>
            <p class="small muted">{t('config.ofdNote')}</p>
            <Field field="ofdHost" label="config.ofdHost" {...common} />
            <div class="row2">
              <Field field="ofdPort" label="config.ofdPort" inputMode="numeric" {...common} />
              <Field field="ofdDeviceId" label="config.ofdDeviceId" inputMode="numeric" {...common} />
            </div>
            <Field field="ofdToken" label="config.ofdToken" type="password" inputMode="numeric" hint={form.ofdToken === MASK ? t('config.secretKept') : undefined} {...common} />
          </fieldset>
          <fieldset>
            <legend>{t('config.marking')}</legend>
            <Field field="markingUrl" label="config.markingUrl" inputMode="url" {...common} />
            <Field field="markingToken" label="config.markingToken" type="password" hint={form.markingToken === MASK ? t('config.secretKept') : undefined} {...common} />
            <Field field="markingCa" label="config.markingCa" {...common} />
          </fieldset>
        </div>
      </div>
      <div class="form-actions sticky">
        <button type="button" class="btn" onClick={() => { setForm(original); setErrors({}); setMessage(null); }}>{t('action.cancel')}</button>
        <button type="submit" class="btn btn-primary" id="config-save" disabled={busy}>{t('action.save')}</button>
      </div>
    </form>
  );
}
