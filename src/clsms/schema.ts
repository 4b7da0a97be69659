import type { ColumnType } from 'kysely';

export interface ClsmsTable {
  clsm_id: string;
  name: string;
  created_at: ColumnType<Date, never, never>;
}

export interface ClsmTables {
  tenants: ClsmsTable;
}
