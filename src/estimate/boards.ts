/**
 * Boards and parts: the board → part table FINN uses, and the DSP family that follows from a part
 * (finn-qonnx reference §1: Versal → DSP58, part[2]=='7' → DSP48E1, else DSP48E2).
 */
import { BrainsmithError } from '../errors.js';
import type { FpgaTarget } from '../plugins/types.js';

export const BOARD_PARTS: Readonly<Record<string, string>> = {
  'Pynq-Z1': 'xc7z020clg400-1',
  'Pynq-Z2': 'xc7z020clg400-1',
  Ultra96: 'xczu3eg-sbva484-1-e',
  ZCU102: 'xczu9eg-ffvb1156-2-e',
  ZCU104: 'xczu7ev-ffvc1156-2-e',
  KV260_SOM: 'xck26-sfvc784-2LV-c',
  U50: 'xcu50-fsvh2104-2L-e',
  U200: 'xcu200-fsgd2104-2-e',
  U250: 'xcu250-figd2104-2L-e',
  U280: 'xcu280-fsvh2892-2L-e',
  U55C: 'xcu55c-fsvh2892-2L-e',
  VCK190: 'xcvc1902-vsva2197-2MP-e-S',
  VEK280: 'xcve2802-vsvh1760-2MP-e-S',
};

export const KNOWN_BOARDS: readonly string[] = Object.keys(BOARD_PARTS);

/** Versal parts: AI Core (vc), AI Edge (ve), Prime (vm), Premium (vp), HBM (vh), and their defence-grade xq twins. */
const VERSAL_PREFIXES = ['xcvc', 'xcve', 'xcvm', 'xcvp', 'xcvh', 'xqvc', 'xqve', 'xqvm', 'xqvp'];

export function isVersalPart(part: string): boolean {
  const p = part.toLowerCase();
  return VERSAL_PREFIXES.some((x) => p.startsWith(x));
}

export function dspFamilyOf(part: string): FpgaTarget['dspFamily'] {
  if (isVersalPart(part)) return 'DSP58';
  return part[2] === '7' ? 'DSP48E1' : 'DSP48E2';
}

/** Board names match case-insensitively (`pynq-z2` is Pynq-Z2). */
export function boardPart(board: string): string {
  const key = KNOWN_BOARDS.find((b) => b.toLowerCase() === board.toLowerCase());
  if (!key) {
    throw new BrainsmithError('E_UNKNOWN_BOARD', `unknown board '${board}': known boards are ${KNOWN_BOARDS.join(', ')} (or give --part)`, { kind: 'usage' });
  }
  return BOARD_PARTS[key]!;
}

const PART_PATTERN = /^x[a-z]{1,3}[a-z0-9]+-[a-z0-9]+(-[a-z0-9]+)*$/i;

/** The target from a board or a part (not both); the default is Pynq-Z1's part, as FINN's examples use. */
export function resolveTarget(opts: { board?: string; part?: string }): FpgaTarget {
  if (opts.board && opts.part) throw new BrainsmithError('E_USAGE', 'give --board or --part, not both', { kind: 'usage' });
  let board: string | undefined;
  let part: string;
  if (opts.part !== undefined) {
    if (!PART_PATTERN.test(opts.part)) {
      throw new BrainsmithError('E_BAD_PART', `'${opts.part}' does not look like a Xilinx part name (e.g. xc7z020clg400-1, xczu7ev-ffvc1156-2-e)`, { kind: 'usage' });
    }
    part = opts.part;
  } else {
    board = KNOWN_BOARDS.find((b) => b.toLowerCase() === (opts.board ?? 'Pynq-Z1').toLowerCase()) ?? opts.board ?? 'Pynq-Z1';
    part = boardPart(board);
  }
  return { part, board, dspFamily: dspFamilyOf(part), versal: isVersalPart(part) };
}

/** What a device holds, for a report's "% of the device". BRAM in 18 Kb halves (FINN's BRAM_18K unit). */
export interface DeviceCapacity {
  LUT: number;
  FF: number;
  BRAM_18K: number;
  URAM: number;
  DSP: number;
}

/** Per device of every part in BOARD_PARTS, from the AMD/Xilinx product tables (BRAM: 36 Kb blocks × 2). */
const DEVICE_CAPACITY: Readonly<Record<string, DeviceCapacity>> = {
  xc7z020: { LUT: 53_200, FF: 106_400, BRAM_18K: 280, URAM: 0, DSP: 220 },
  xczu3eg: { LUT: 70_560, FF: 141_120, BRAM_18K: 432, URAM: 0, DSP: 360 },
  xczu9eg: { LUT: 274_080, FF: 548_160, BRAM_18K: 1_824, URAM: 0, DSP: 2_520 },
  xczu7ev: { LUT: 230_400, FF: 460_800, BRAM_18K: 624, URAM: 96, DSP: 1_728 },
  xck26: { LUT: 117_120, FF: 234_240, BRAM_18K: 288, URAM: 64, DSP: 1_248 },
  xcu50: { LUT: 871_680, FF: 1_743_360, BRAM_18K: 2_688, URAM: 640, DSP: 5_952 },
  xcu200: { LUT: 1_182_240, FF: 2_364_480, BRAM_18K: 4_320, URAM: 960, DSP: 6_840 },
  xcu250: { LUT: 1_728_000, FF: 3_456_000, BRAM_18K: 5_376, URAM: 1_280, DSP: 12_288 },
  xcu280: { LUT: 1_303_680, FF: 2_607_360, BRAM_18K: 4_032, URAM: 960, DSP: 9_024 },
  xcu55c: { LUT: 1_303_680, FF: 2_607_360, BRAM_18K: 4_032, URAM: 960, DSP: 9_024 },
  xcvc1902: { LUT: 899_840, FF: 1_799_680, BRAM_18K: 1_934, URAM: 463, DSP: 1_968 },
  xcve2802: { LUT: 520_704, FF: 1_041_408, BRAM_18K: 1_200, URAM: 264, DSP: 1_312 },
};

/** The capacity of a part's device (`xczu7ev-ffvc1156-2-e` → xczu7ev), or undefined for a part not in the table. */
export function deviceCapacity(part: string): DeviceCapacity | undefined {
  const device = part.toLowerCase().split('-')[0]!;
  const key = Object.keys(DEVICE_CAPACITY).find((d) => device === d || (device.startsWith(d) && /^[a-z]/.test(device.slice(d.length))));
  return key ? DEVICE_CAPACITY[key] : undefined;
}
