/**
 * Users (administrator only): the list with each user's state, a form to add a cashier,
 * manager or technician, and per user: disable / enable, unlock after wrong PINs, a new PIN.
 * Disabling a user or changing their PIN ends their sessions on every screen.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ROLES, type Role, type UserView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';
import { pinProblemKey } from '../shared/pin.ts';

type Message = { kind: 'ok' | 'error'; text: string } | null;

function UserState(props: { user: UserView }) {
  const { lang } = useApp();
  const t = useT();
  const u = props.user;
  return (
    <td data-testid="user-state">
      {u.disabledAt ? t('users.disabledState') : t('users.active')}
      {u.lockedUntil && <div class="small">{t('users.lockedUntil', { time: formatTime(u.lockedUntil, lang) })}</div>}
      {u.failedPins + u.failedApprovals > 0 && <div class="small muted">{t('users.failedPins', { n: u.failedPins + u.failedApprovals })}</div>}
    </td>
  );
}

/** A new PIN for one user, checked against the rules before it is sent. */
function NewPinForm(props: { user: UserView; onDone(text: string): void; onError(text: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [pin, setPin] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const weak = pinProblemKey(pin);
    if (weak) return props.onError(t(weak));
    try {
      await api.resetPin(props.user.id, { pin });
      setPin('');
      props.onDone(t('users.done.pin', { name: props.user.name }));
    } catch (err) {
      props.onError(errorText(err, lang));
    }
  };
  const id = `user-newpin-${props.user.name}`;
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <label for={id} class="visually-hidden">{t('users.newPin', { name: props.user.name })}</label>
      <input id={id} type="password" inputMode="numeric" autoComplete="new-password" maxLength={12} size={8} value={pin}
        placeholder={t('users.pin')} onInput={(e) => setPin(e.currentTarget.value)} />
      <button type="submit" class="btn" data-action="pin">{t('users.setPin')}</button>
    </form>
  );
}

/** The form that adds a user. */
function AddUserForm(props: { onDone(text: string): void; onError(text: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [pin, setPin] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return props.onError(t('setup.required', { field: t('users.name') }));
    const weak = pinProblemKey(pin);
    if (weak) return props.onError(t(weak));
    try {
      const res = await api.createUser({ name: name.trim(), role, pin });
      setName('');
      setPin('');
      props.onDone(t('users.created.ok', { name: res.user.name }));
      document.getElementById('user-name')?.focus();
    } catch (err) {
      props.onError(errorText(err, lang));
    }
  };
  return (
    <form class="card" onSubmit={create} noValidate>
      <h2>{t('users.add')}</h2>
      <div class="field">
        <label for="user-name">{t('users.name')}</label>
        <input id="user-name" value={name} maxLength={64} autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="user-role">{t('users.role')}</label>
        <select id="user-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="user-pin">{t('users.pin')}</label>
        <input id="user-pin" type="password" inputMode="numeric" autoComplete="new-password" maxLength={12} value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" id="user-create">{t('users.create')}</button>
      </div>
    </form>
  );
}

export function UsersScreen() {
  const { api, lang } = useApp();
  const t = useT();
  const [users, setUsers] = useState<UserView[]>([]);
  const [message, setMessage] = useState<Message>(null);

  const load = useCallback(() => api.users().then((r) => setUsers(r.users), (err: unknown) => setMessage({ kind: 'error', text: errorText(err, lang) })), [api, lang]);
  useEffect(() => { void load(); }, [load]);

  const done = (text: string) => { setMessage({ kind: 'ok', text }); void load(); };
  const failed = (text: string) => setMessage({ kind: 'error', text });
  const act = async (u: UserView, action: 'disable' | 'enable' | 'unlock') => {
    try {
      if (action === 'disable') await api.disableUser(u.id);
      else if (action === 'enable') await api.enableUser(u.id);
      else await api.unlockUser(u.id);
      done(t(`users.done.${action}`, { name: u.name }));
    } catch (err) {
      failed(errorText(err, lang));
    }
  };

  return (
    <main class="page" id="users">
      <h1>{t('users.title')}</h1>
      {message && <p class={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="users-message">{message.text}</p>}
      <div class="users-grid">
        <div class="table-wrap">
          <table data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th><th scope="col">{t('users.role')}</th><th scope="col">{t('users.created')}</th>
                <th scope="col">{t('users.status')}</th><th scope="col">{t('users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user={u.name} data-disabled={u.disabledAt ? 'true' : 'false'} data-locked={u.lockedUntil ? 'true' : 'false'}>
                  <td>{u.name}</td>
                  <td>{t(`role.${u.role}` as MessageKey)}</td>
                  <td class="nowrap">{formatTime(u.createdAt, lang)}</td>
                  <UserState user={u} />
                  <td class="user-actions">
                    {u.disabledAt
                      ? <button type="button" class="btn" data-action="enable" onClick={() => void act(u, 'enable')}>{t('users.enable')}</button>
                      : <button type="button" class="btn" data-action="disable" onClick={() => void act(u, 'disable')}>{t('users.disable')}</button>}
                    {(u.lockedUntil || u.failedPins > 0 || u.failedApprovals > 0) && <button type="button" class="btn" data-action="unlock" onClick={() => void act(u, 'unlock')}>{t('users.unlock')}</button>}
                    <NewPinForm user={u} onDone={done} onError={failed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <AddUserForm onDone={done} onError={failed} />
      </div>
    </main>
  );
}
