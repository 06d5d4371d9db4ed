/** A fresh schema name per store, so the tests of one cluster never see each other's events. */
let n = 0
export const freshSchema = (prefix = "t"): string => `${prefix}_${process.pid}_${++n}_${Math.random().toString(36).slice(2, 8)}`
