/**
 * A FLOPs and parameter counter following the `thop` rule RLNAS used for its ImageNet spaces
 * (spec `darts-mobilenet-architectures.md` §2), shared by the DARTS and MobileNet cost models.
 *
 * - Conv2d: `C_in / groups · k_h · k_w` per output element (no bias in these networks);
 * - Linear: `(2 · in − 1) · out`;
 * - BatchNorm, ReLU / ReLU6, pooling, additions, concatenation, identity: 0 FLOPs.
 *
 * Parameters: conv kernels, BN γ and β, Linear weight and bias.
 *
 * @module
 */

/** Geometry of one square 2-D convolution. */
export interface ConvSpec {
  /** Kernel side. */
  kernel: number;
  /** Stride (default 1). */
  stride?: number;
  /** Zero padding on each side (default 0). */
  padding?: number;
  /** Dilation (default 1). */
  dilation?: number;
  /** Groups (default 1; `cin` for a depthwise conv). */
  groups?: number;
}

/** Output side of a convolution or pooling window over an input of side `h` (PyTorch's rule). */
export function convOutputSize(
  h: number,
  kernel: number,
  stride = 1,
  padding = 0,
  dilation = 1,
): number {
  const out = Math.floor((h + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
  if (!(out >= 1)) {
    throw new RangeError(
      `a ${kernel}x${kernel} window (stride ${stride}, padding ${padding}, dilation ${dilation}) ` +
        `does not fit an input of side ${h}`,
    );
  }
  return out;
}

/** Accumulates FLOPs and parameters, layer by layer. */
export class ThopCounter {
  /** FLOPs counted so far. */
  flops = 0;
  /** Parameters counted so far. */
  params = 0;

  /** A bias-free Conv2d `cin → cout` on an `h × h` input; returns the output side. */
  conv(cin: number, cout: number, h: number, spec: ConvSpec): number {
    const { kernel, stride = 1, padding = 0, dilation = 1, groups = 1 } = spec;
    if (cin % groups !== 0 || cout % groups !== 0) {
      throw new RangeError(`conv ${cin}→${cout} channels cannot be split into ${groups} groups`);
    }
    const out = convOutputSize(h, kernel, stride, padding, dilation);
    const perOutput = (cin / groups) * kernel * kernel;
    this.flops += perOutput * cout * out * out;
    this.params += perOutput * cout;
    return out;
  }

  /** An affine BatchNorm2d over `c` channels: 0 FLOPs, `2c` parameters (γ, β). */
  bn(c: number): void {
    this.params += 2 * c;
  }

  /** A Linear `inp → out` with bias: `(2·inp − 1)·out` FLOPs, `inp·out + out` parameters. */
  linear(inp: number, out: number): void {
    this.flops += (2 * inp - 1) * out;
    this.params += inp * out + out;
  }
}
