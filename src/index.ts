import { Decimal } from "decimal.js";
export function hello(): string { return new Decimal("0.1").plus("0.2").toString(); }
