/** The database handle type, apart from db.ts so modules that migrations use do not import the opener (no cycle). */
import type Database from 'better-sqlite3';

export type Db = Database.Database;
