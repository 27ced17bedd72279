// A real one-node Slurm cluster for `npm run test:slurm`, started and stopped by the test: Debian's slurm-wlm and
// munge, a slurm.conf for this host written into a temp dir (own state, spool, log and pid files, own ports so a
// system Slurm is left alone), munged (started when no munged answers), slurmctld and slurmd. No cgroups:
// proctrack/linuxproc and task/none work in containers. No accounting storage: the executor tracks with
// squeue / scontrol. Needs root (slurmd launches jobs as the submitting user).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, freemem, hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const INSTALL_HINT =
  'install Slurm and munge first: `sudo apt-get update && sudo apt-get install -y slurm-wlm munge` (Debian/Ubuntu)';
const NEEDED = ['munged', 'munge', 'slurmctld', 'slurmd', 'sinfo', 'sbatch', 'squeue', 'scontrol'];
const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin:/usr/local/sbin`;
const MUNGE_KEY = '/etc/munge/munge.key';

function whichCommand(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v "$0"', cmd], { env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export interface LocalCluster {
  /** Temp dir holding slurm.conf, state, spool, logs. */
  root: string;
  conf: string;
  node: string;
  /** Environment for Slurm clients (SLURM_CONF, PATH with sbin). */
  env: NodeJS.ProcessEnv;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr || r.stdout}`);
  }
  return r.stdout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 500 ms until it returns true; throws `what` with `detail()` after `ms`. */
async function waitFor(what: string, ms: number, check: () => boolean, detail: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`local Slurm: ${what} not reached within ${ms / 1000} s\n${detail()}`);
    await sleep(500);
  }
}

const tail = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(-15).join('\n') : `(no ${f})`);

/** A munge key and a munged that answers (started as user munge when none does); returns munged's pid file if ours. */
function ensureMunge(env: NodeJS.ProcessEnv): string | undefined {
  if (spawnSync('munge', ['-n'], { env, stdio: 'ignore' }).status === 0) return undefined;
  if (!existsSync(MUNGE_KEY)) {
    mkdirSync('/etc/munge', { recursive: true, mode: 0o700 });
    if (whichCommand('mungekey', env)) sh('mungekey', ['--create', '--keyfile', MUNGE_KEY], env);
    else sh('dd', ['if=/dev/urandom', `of=${MUNGE_KEY}`, 'bs=1', 'count=1024'], env);
  }
  const { uid, gid } = mungeUser();
  chownSync('/etc/munge', uid, gid);
  chownSync(MUNGE_KEY, uid, gid);
  execFileSync('chmod', ['400', MUNGE_KEY]);
  for (const d of ['/run/munge', '/var/lib/munge', '/var/log/munge']) {
    mkdirSync(d, { recursive: true });
    chownSync(d, uid, gid);
  }
  sh('runuser', ['-u', 'munge', '--', whichCommand('munged', env) ?? 'munged'], env);
  return '/run/munge/munged.pid';
}

function mungeUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('munge:'));
  if (!line) throw new Error(`local Slurm: no user munge (the munge package creates it); ${INSTALL_HINT}`);
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

function killPidFile(file: string): void {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** Starts the cluster and waits until its node is idle. Throws with INSTALL_HINT when Slurm is not installed. */
export async function startLocalCluster(): Promise<LocalCluster> {
  const env = { ...process.env, PATH: SBIN_PATH };
  const missing = NEEDED.filter((c) => whichCommand(c, env) === undefined);
  if (missing.length > 0) throw new Error(`local Slurm: ${missing.join(', ')} not found on PATH; ${INSTALL_HINT}`);
  if (userInfo().uid !== 0) throw new Error('local Slurm: the test cluster needs root (slurmd starts the jobs)');
  const mungePid = ensureMunge(env);
  const root = mkdtempSync(join(tmpdir(), 'dlm-slurm-'));
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(root, d));
  const node = hostname().split('.')[0] as string;
  const memMb = Math.max(256, Math.floor((freemem() / 2 ** 20) * 0.5));
  const conf = join(root, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=dlmtest',
      `SlurmctldHost=${node}(127.0.0.1)`,
      'SlurmUser=root',
      `SlurmctldPort=${await freePort()}`,
      `SlurmdPort=${await freePort()}`,
      'AuthType=auth/munge',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'ReturnToService=2',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      `StateSaveLocation=${root}/state`,
      `SlurmdSpoolDir=${root}/spool`,
      `SlurmctldPidFile=${root}/slurmctld.pid`,
      `SlurmdPidFile=${root}/slurmd.pid`,
      `SlurmctldLogFile=${root}/log/slurmctld.log`,
      `SlurmdLogFile=${root}/log/slurmd.log`,
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus().length} RealMemory=${memMb} State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const clientEnv = { ...env, SLURM_CONF: conf };
  const stop = () => {
    killPidFile(join(root, 'slurmd.pid'));
    killPidFile(join(root, 'slurmctld.pid'));
    if (mungePid) killPidFile(mungePid);
  };
  try {
    sh('slurmctld', ['-f', conf], clientEnv);
    sh('slurmd', ['-f', conf], clientEnv);
    const state = () => spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { env: clientEnv, encoding: 'utf8' }).stdout;
    await waitFor(
      `node ${node} idle`,
      60_000,
      () => state().trim() === 'idle',
      () => `sinfo: ${state()}\n${tail(join(root, 'log/slurmctld.log'))}\n${tail(join(root, 'log/slurmd.log'))}`,
    );
  } catch (e) {
    stop();
    throw e;
  }
  return { root, conf, node, env: clientEnv, stop };
}
