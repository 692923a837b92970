// The configured warehouse, opened.
import { DuckDbWarehouse } from './duckdb-warehouse.js';
import { PostgresWarehouse } from './postgres-warehouse.js';
import type { WarehouseConfig } from './source-config.js';
import type { Warehouse } from './warehouse.js';

export function openWarehouse(config: WarehouseConfig): Promise<Warehouse> {
  return config.type === 'postgres' ? PostgresWarehouse.open(config.url) : DuckDbWarehouse.open(config.path);
}
