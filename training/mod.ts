/**
 * SPOS SuperNet training: the cosine learning-rate schedule, PyTorch-exact SGD (Nesterov, weight
 * decay, PyTorch 1.x or >= 2.0 `zero_grad` semantics), safetensors checkpoints with resumable
 * training state, and the trainer itself.
 *
 * Command line (acceptance smoke: 512 CIFAR-10 images, 2 epochs):
 *
 * ```sh
 * npx deno run -A training/train_cli.ts --dataset cifar10 --images 512 --epochs 2 \
 *   --labels random-uniform-once --seed 0 --out /tmp/rlnas-smoke --backend wasm [--resume]
 * ```
 *
 * @module
 */
export * from "./lr_schedule.ts";
export * from "./sgd.ts";
export * from "./checkpoint.ts";
export * from "./trainer.ts";
export * from "./safetensors.ts";
export * from "./step.ts";
