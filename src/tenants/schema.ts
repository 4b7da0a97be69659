import type { ColumnType } from 'kysely';

export interface TenantsTable {
  clsm_id: string;
  name: string;
  created_at: ColumnType<Date, never, never>;
}

export interface TenantTables {
  tenants: TenantsTable;
}
