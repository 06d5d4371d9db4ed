/**
 * The figures An Lão published in Appendix I of the seed (dossiers received 01/01–20/03/2024 and, of
 * them, dossiers reusing digitised data), by unit code of `data/binhDinhAnLao.ts`. The seed does not
 * split reuse by source (store / earlier dossier), so neither does this table. The KPI projection must
 * reproduce these numbers from the An Lão event log.
 *
 * @since 0.1.0
 */

/**
 * `[unit code, received, reused]`, in the seed's order.
 *
 * @since 0.1.0
 */
export const anLaoAppendixI: ReadonlyArray<readonly [code: string, received: number, reused: number]> = [
  ["binh-dinh.an-lao.phong-tu-phap", 306, 1],
  ["binh-dinh.an-lao.phong-noi-vu", 3, 0],
  ["binh-dinh.an-lao.chi-nhanh-vpdkdd", 818, 20],
  ["binh-dinh.an-lao.phong-tn-mt", 37, 0],
  ["binh-dinh.an-lao.phong-gd-dt", 15, 0],
  ["binh-dinh.an-lao.phong-y-te", 1, 0],
  ["binh-dinh.an-lao.phong-kt-ht", 44, 0],
  ["binh-dinh.an-lao.hat-kiem-lam", 0, 0],
  ["binh-dinh.an-lao.phong-tc-kh", 22, 0],
  ["binh-dinh.an-lao.thi-tran-an-lao", 399, 50],
  ["binh-dinh.an-lao.an-dung", 98, 0],
  ["binh-dinh.an-lao.an-hoa", 461, 66],
  ["binh-dinh.an-lao.an-hung", 168, 0],
  ["binh-dinh.an-lao.an-nghia", 91, 0],
  ["binh-dinh.an-lao.an-quang", 126, 0],
  ["binh-dinh.an-lao.an-tan", 400, 2],
  ["binh-dinh.an-lao.an-trung", 179, 17],
  ["binh-dinh.an-lao.an-toan", 47, 0],
  ["binh-dinh.an-lao.an-vinh", 265, 0]
]
