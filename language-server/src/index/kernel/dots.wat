;; The vector scan's inner loop (index/vectorCache.ts): the dot products of one int8 query with n
;; int8 rows of d dimensions (d a multiple of 16), as int32, with WebAssembly SIMD: sixteen
;; components per step, widened to 16 bits and multiplied pairwise into 32-bit sums
;; (i32x4.dot_i16x8_s). A row's sum is at most d·127·127, so d up to 130,000 cannot overflow.
;; Compiled by scripts/build-dot-kernel.ts into dotsWasm.ts.
(module
  (memory (export "memory") 1)
  ;; out[i] = Σ_j row_i[j] · query[j], rows stored one after another from `rows`.
  (func (export "dots") (param $rows i32) (param $query i32) (param $n i32) (param $d i32) (param $out i32)
    (local $i i32) (local $j i32) (local $row i32) (local $acc v128) (local $a v128) (local $b v128)
    (local.set $row (local.get $rows))
    (block $done
      (loop $next_row
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (loop $next_step
          (local.set $a (v128.load (i32.add (local.get $row) (local.get $j))))
          (local.set $b (v128.load (i32.add (local.get $query) (local.get $j))))
          (local.set $acc
            (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $a)) (i16x8.extend_low_i8x16_s (local.get $b)))))
          (local.set $acc
            (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $a)) (i16x8.extend_high_i8x16_s (local.get $b)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $next_step (i32.lt_u (local.get $j) (local.get $d))))
        (i32.store
          (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $row (i32.add (local.get $row) (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next_row)))))
