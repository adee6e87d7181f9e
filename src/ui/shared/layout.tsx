/** The frame every screen shares: training ribbon, header (who, where, language), banners. */
import type { ComponentChildren } from 'preact';
import type { Role } from '../../server/contract/index.ts';
import { useApp, useT } from './context.ts';
import { LANGUAGES, translate, type MessageKey } from './i18n.ts';
import { LinkStrip, LinkSummaryBadge, useLinkStates } from './link-strip.tsx';
import type { View } from './session.ts';
import { Icon } from './icons.tsx';

/** Shown on every screen in training mode, so no one mistakes a training sale for a real one. */
export function TrainingRibbon(props: { on: boolean }) {
  const t = useT();
  if (!props.on) return null;
  return <div class="training-ribbon" role="status" data-testid="training-ribbon">{t('training.ribbon')}</div>;
}

export function LanguageSwitch() {
  const { lang, setLang } = useApp();
  return (
    <div class="lang-switch" role="group" aria-label={translate(lang, 'lang.label')}>
      {LANGUAGES.map((l) => (
        <button
          type="button"
          key={l}
          lang={l}
          class={l === lang ? 'lang active' : 'lang'}
          aria-pressed={l === lang}
          title={translate(l, `lang.${l}` as MessageKey)}
          onClick={() => setLang(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

export interface HeaderProps {
  storeName: string | null;
  registerId: string | null;
  user?: { name: string; role: Role };
  views?: readonly View[];
  view?: View;
  onView?(view: View): void;
  onLogout?(): void;
  connected?: boolean;
}

export function Header(props: HeaderProps) {
  const t = useT();
  const nav = props.views && props.views.length > 1 ? props.views : null;
  const links = useLinkStates();
  return (
    <header class="app-header">
      <div class="header-top">
        <div class="brand">
          <Icon name="scan" size={26} class="logo" />
          <span class="app-name">{t('app.name')}</span>
          {props.storeName && <span class="store" title={props.storeName}>{props.storeName}{props.registerId ? ` · ${props.registerId}` : ''}</span>}
        </div>
        <div class="header-right">
          {props.connected !== undefined && <LinkSummaryBadge links={props.user ? links : null} connected={props.connected} />}
          {props.user && (
            <span class="who" data-testid="who">
              {props.user.name} · {t(`role.${props.user.role}` as MessageKey)}
            </span>
          )}
          <LanguageSwitch />
          {props.onLogout && <button type="button" class="btn btn-quiet" onClick={props.onLogout}>{t('nav.logout')}</button>}
        </div>
      </div>
      {props.user && links && <LinkStrip links={links} />}
      {nav && (
        <nav aria-label={t('nav.main')} class="main-nav">
          {nav.map((v) => (
            <a
              key={v}
              href={`#/${v}`}
              class={v === props.view ? 'nav-link active' : 'nav-link'}
              aria-current={v === props.view ? 'page' : undefined}
              onClick={(e) => { e.preventDefault(); props.onView?.(v); }}
            >
              {v === 'chooser' ? t('nav.screens') : t(`view.${v}` as MessageKey)}
            </a>
          ))}
        </nav>
      )}
    </header>
  );
}

/** A full-width notice under the header (offline, errors). */
export function Banner(props: { kind: 'warn' | 'error' | 'info'; children: ComponentChildren; testId?: string }) {
  return <div class={`banner banner-${props.kind}`} role={props.kind === 'info' ? 'status' : 'alert'} data-testid={props.testId}>{props.children}</div>;
}

/** Tabs with arrow-key navigation (WAI-ARIA tabs pattern). */
export function Tabs<K extends string>(props: { label: string; tabs: ReadonlyArray<{ key: K; label: string }>; active: K; onChange(key: K): void; idPrefix: string }) {
  const onKeyDown = (e: KeyboardEvent) => {
    const i = props.tabs.findIndex((tab) => tab.key === props.active);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = props.tabs[(i + step + props.tabs.length) % props.tabs.length];
    if (next) {
      props.onChange(next.key);
      document.getElementById(`${props.idPrefix}-tab-${next.key}`)?.focus();
    }
  };
  return (
    <div class="tabs" role="tablist" aria-label={props.label} onKeyDown={onKeyDown}>
      {props.tabs.map((tab) => (
        <button
          type="button"
          role="tab"
          key={tab.key}
          id={`${props.idPrefix}-tab-${tab.key}`}
          aria-selected={tab.key === props.active}
          aria-controls={`${props.idPrefix}-panel`}
          tabIndex={tab.key === props.active ? 0 : -1}
          class={tab.key === props.active ? 'tab active' : 'tab'}
          onClick={() => props.onChange(tab.key)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
