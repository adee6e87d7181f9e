/**
 * The ordered migration list. Append only: never edit a migration that has shipped — add a new
 * one. Each has a test beside it.
 */
import type { Migration } from '../migrate.ts';
import { migration001 } from './001-cache.ts';
import { migration002 } from './002-checkout.ts';
import { migration003 } from './003-ofd.ts';
import { migration004 } from './004-server.ts';
import { migration005 } from './005-stats.ts';
import { migration006 } from './006-sync-lease.ts';
import { migration007 } from './007-aggregates.ts';
import { migration008 } from './008-check-provider.ts';
import { migration009 } from './009-auth.ts';
import { migration010 } from './010-print-jobs.ts';
import { migration011 } from './011-hub.ts';
import { migration012 } from './012-catalog.ts';
import { migration013 } from './013-journal-digests.ts';
import { migration014 } from './014-product-vat.ts';
import { migration015 } from './015-unprinted-receipts.ts';
import { migration016 } from './016-selling.ts';
import { migration017 } from './017-offline-receipts.ts';
import { migration018 } from './018-product-name-kk.ts';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
];
