import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SampleBuffer, percentileOfSorted } from '../stats';
import type { HarnessHealth } from './jobs';

/** Measures the load process itself over the measurement window. */
export class HarnessMonitor {
  private readonly eld = monitorEventLoopDelay({ resolution: 10 });
  private cpuStart = process.cpuUsage();
  private wallStart = performance.now();
  readonly scheduleLag = new SampleBuffer();

  constructor() {
    this.eld.enable();
  }

  start(): void {
    this.eld.reset();
    this.cpuStart = process.cpuUsage();
    this.wallStart = performance.now();
  }

  stop(): HarnessHealth {
    const cpu = process.cpuUsage(this.cpuStart);
    const wall = performance.now() - this.wallStart;
    const lag = this.scheduleLag.values().slice().sort();
    const health: HarnessHealth = {
      cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
      cpuSystemPercent: (cpu.system / 1000 / wall) * 100,
      eventLoopDelayP99Ms: Math.max(0, this.eld.percentile(99) / 1e6 - 10),
      scheduleLagP99Ms: lag.length ? percentileOfSorted(lag, 99) : 0,
    };
    this.eld.disable();
    return health;
  }
}

