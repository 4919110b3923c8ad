// A tiny consumer of the types generated from openapi/broker_v1_openapi.json (npm run gen-types).
// It stands for the frontend: if a field it uses is renamed or retyped in the spec, `tsc` fails.
import type { components, operations, paths } from './generated/broker';

type Schemas = components['schemas'];
export type PlacedOrder = Schemas['PlacedOrder'];

export function fillSummary(order: PlacedOrder): string {
  const avgPrice: number | null = order.avgPrice;
  const filledQty: number | null = order.filledQty;
  const status: Schemas['OrderStatus'] = order.status;
  const side: Schemas['Side'] = order.side;
  return `${order.id} ${order.symbol} side=${side} status=${status} ${filledQty ?? 0}/${order.qty} @ ${avgPrice ?? '-'}`;
}

type GetOrders = paths['/orders']['get']['responses'][200]['content']['application/json'];
export const firstOrder = (orders: GetOrders): PlacedOrder | undefined => orders[0];

export const limitBuy: Schemas['PreOrder'] = { symbol: 'AAPL', type: 1, side: 1, qty: 1, limitPrice: 1.5 };

type PlaceOrder = operations['placeOrder'];
export const placed = (result: PlaceOrder['responses'][200]['content']['application/json']): string => result.orderId;
