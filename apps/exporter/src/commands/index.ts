import type { Command } from '../cli.js';
import { onnxCommand } from './onnx.js';
import { verifyCommand } from './verify.js';

export const commands: Command[] = [onnxCommand, verifyCommand];
