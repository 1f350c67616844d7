/**
 * Private tensor ops of the NB201 supernet (NHWC), with PyTorch padding semantics.
 *
 * @module
 */
import { tf } from "../../backends/tf.ts";
import type { Tensor4D } from "../../backends/tf.ts";

const _countCache = new Map<string, Float32Array>();

/** 9 / (number of in-bounds pixels of the 3x3 window) for each output pixel of an h x w map. */
function _invCount(h: number, w: number): Float32Array {
  const key = `${h}x${w}`;
  let m = _countCache.get(key);
  if (m === undefined) {
    m = new Float32Array(h * w);
    for (let r = 0; r < h; r++) {
      const rows = Math.min(r + 1, h - 1) - Math.max(r - 1, 0) + 1;
      for (let c = 0; c < w; c++) {
        const cols = Math.min(c + 1, w - 1) - Math.max(c - 1, 0) + 1;
        m[r * w + c] = 9 / (rows * cols);
      }
    }
    _countCache.set(key, m);
  }
  return m;
}

/**
 * `AvgPool2d(3, stride=1, padding=1, count_include_pad=False)`: each output is the mean of the
 * in-bounds pixels of its 3x3 window. Built as zero padding + a valid 3x3 average (= sum / 9)
 * rescaled by 9 / count, so that the gradient is exact too (tfjs' own `'same'` avg pool excludes
 * the padding in the forward pass but its gradient divides by 9 everywhere).
 */
export function avgPool3x3(x: Tensor4D): Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const avg9 = tf.avgPool(padded, 3, 1, "valid");
    const scale = tf.tensor4d(_invCount(h, w), [1, h, w, 1]);
    return tf.mul(avg9, scale) as Tensor4D;
  });
}

/** Conv3x3 with stride 1 and PyTorch padding 1 on every side (= tfjs `'same'`). */
export function conv3x3(x: Tensor4D, filter: tf.Tensor4D): Tensor4D {
  return tf.conv2d(x, filter, 1, "same");
}

/**
 * Conv3x3 with stride 2 and PyTorch padding 1 on every side (tfjs `'same'` would pad only the
 * bottom/right for even sizes).
 */
export function conv3x3Stride2(x: Tensor4D, filter: tf.Tensor4D): Tensor4D {
  return tf.conv2d(x, filter, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]);
}

/** Conv1x1, stride 1, no padding. */
export function conv1x1(x: Tensor4D, filter: tf.Tensor4D): Tensor4D {
  return tf.conv2d(x, filter, 1, "valid");
}
