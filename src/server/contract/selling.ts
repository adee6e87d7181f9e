/**
 * API contract of selling beyond the scan: the product search, unmarked goods added from it
 * (quantity, kg, a typed price), the quantity of a line, discounts, parked baskets.
 */
import * as z from 'zod';
import { MAX_PRICE, MAX_QUANTITY } from '../../rules/index.ts';
import { pinSchema } from './common.ts';
import type { BasketView } from './checkout.ts';

const price = z.number().int('amounts are whole minor units (tiyn)').nonnegative().max(MAX_PRICE, `a price is at most ${MAX_PRICE} minor units`);
const quantity = z.number().positive('the quantity is above zero').max(MAX_QUANTITY, `the quantity is at most ${MAX_QUANTITY}`);

/** GET /api/products?q= — one product found. */
export interface ProductView {
  barcode: string;
  title: string;
  titleKk: string | null;
  /** Tiyn; null: a free-price item (its price is typed at the till). */
  price: number | null;
  /** Sold by the kg: the quantity is in kg (three decimals). */
  weighed: boolean;
  /** Marked goods are sold by scanning each unit's marking code, never from the search. */
  marked: boolean;
  source: 'store' | 'catalog' | 'feed';
}
/** GET /api/products?q= */
export interface ProductSearchResponse { products: ProductView[] }
export const productSearchQuery = z.object({
  q: z.string().trim().min(1, 'type part of a name or barcode').max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** A manager's name and PIN given at the till, for what the logged-in user may not do alone. */
const approval = { managerName: z.string().min(1).max(64).optional(), managerPin: pinSchema.optional() };

/** POST /api/checkout/add — an unmarked product by its barcode (from the search, or typed). */
export const addProductRequest = z.object({
  barcode: z.string().regex(/^\d{8,14}$/, 'a barcode is 8 to 14 digits (EAN / GTIN)'),
  /** Pieces (whole), or kg for weighed goods (thousandths kept). Default 1. */
  quantity: quantity.optional(),
  /** A typed unit price: a free-price item's price, or (with the discount permission) another price. */
  price: price.optional(),
  ...approval,
});
export type AddProductRequest = z.input<typeof addProductRequest>;

/** PUT /api/checkout/lines/:id/quantity */
export const setQuantityRequest = z.object({ quantity });
export type SetQuantityRequest = z.infer<typeof setQuantityRequest>;

/** POST /api/checkout/lines/:id/discount — a percentage off the line's price, or the new price. */
export const discountRequest = z.object({
  percent: z.number().gt(0, 'a discount is above 0%').max(100).optional(),
  price: price.optional(),
  reason: z.string().trim().min(1, 'give a reason').max(200),
  ...approval,
}).refine((d) => (d.percent === undefined) !== (d.price === undefined), { message: 'give either percent or price', path: ['percent'] });
export type DiscountRequest = z.input<typeof discountRequest>;

/** A basket put aside. */
export interface ParkedBasketView {
  id: string;
  parkedAt: string;
  cashier: string;
  total: number;
  /** `nameKk`: the Kazakh name, when the line had one (the till shows it in Kazakh). */
  lines: { name: string; nameKk?: string | null; quantityMilli: number; price: number | null }[];
}
/** GET /api/checkout/parked */
export interface ParkedListResponse { parked: ParkedBasketView[] }
/** POST /api/checkout/park */
export interface ParkResponse { parked: ParkedBasketView; basket: BasketView }
/** POST /api/checkout/parked/:id/recall: the basket, and the lines refused now (checked again). */
export interface RecallResponse { basket: BasketView; refused: number }
