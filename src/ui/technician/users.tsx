/** Users (administrator only): the list and a form to add a cashier, manager or technician. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { createUserRequest, ROLES, type Role, type UserView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';

export function UsersScreen() {
  const { api, lang } = useApp();
  const t = useT();
  const [users, setUsers] = useState<UserView[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(() => api.users().then((r) => setUsers(r.users), (err: unknown) => setMessage({ kind: 'error', text: errorText(err, lang) })), [api, lang]);
  useEffect(() => { void load(); }, [load]);

  const create = async (e: Event) => {
    e.preventDefault();
    const body = createUserRequest.safeParse({ name: name.trim(), role, pin });
    if (!body.success) {
      const issue = body.error.issues[0];
      return setMessage({ kind: 'error', text: issue?.path[0] === 'pin' ? t('setup.pinFormat') : t('setup.required', { field: t('users.name') }) });
    }
    try {
      const res = await api.createUser(body.data);
      setMessage({ kind: 'ok', text: t('users.created.ok', { name: res.user.name }) });
      setName('');
      setPin('');
      await load();
      document.getElementById('user-name')?.focus();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    }
  };

  return (
    <main class="page" id="users">
      <h1>{t('users.title')}</h1>
      <div class="users-grid">
        <div class="table-wrap">
          <table data-testid="users-table">
            <thead><tr><th scope="col">{t('users.name')}</th><th scope="col">{t('users.role')}</th><th scope="col">{t('users.created')}</th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user={u.name}>
                  <td>{u.name}</td>
                  <td>{t(`role.${u.role}` as MessageKey)}</td>
                  <td class="nowrap">{formatTime(u.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form class="card" onSubmit={create} noValidate>
          <h2>{t('users.add')}</h2>
          {message && <p class={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="users-message">{message.text}</p>}
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
      </div>
    </main>
  );
}
