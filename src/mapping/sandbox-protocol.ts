// Messages between the server and a sandbox process (structured clone over the IPC channel).

export interface SandboxTask {
  id: number;
  source: string;
  input: unknown;
  vars: Record<string, unknown>;
}

/** Every message from a sandbox process carries its CPU time so far (ms), the next task's baseline. */
export type SandboxReply =
  | { id: number; ok: true; value: unknown; cpuMs: number }
  | { id: number; ok: false; message: string; code?: string; cpuMs: number };

export type SandboxMessage = SandboxReply | { ready: true; cpuMs: number };
