#!/usr/bin/env node
// Headless benchmark of RaftScope's Raft model (github.com/ongardie/raftscope,
// the JS behind raft.github.io), for comparing per-event cost with ClusterTutor.
//
// How to run (RaftScope is NOT vendored; pass a checkout of it):
//   git clone https://github.com/ongardie/raftscope /path/to/raftscope
//   bash Scripts/raftscope-bench.sh /path/to/raftscope
// or directly:
//   node Scripts/raftscope-bench.js /path/to/raftscope     (or RAFTSCOPE_DIR=...)
// Optional environment: RUNS=21 WARMUP=5 SEED=1 SIM_SECONDS=60
//   CHECKPOINT=1  also run RaftScope's state.js checkpointing after every step
//                 (deep clone + deep compare, as the browser UI does).
//   SANDBOX=1     load RaftScope into a separate vm context (slower; see below).
// Output: two timings of the same run -- "event-driven" (our scan for the next
// instant + raft.update) and "model only" (raft.update replayed at recorded
// instants, i.e. RaftScope's own cost with no scheduling) -- plus event counts
// and a sanity line (leaders elected, max term). Runs are deterministic.
//
// Workload: 5 servers, no client requests, no UI, 60 s of simulated time,
// message latency uniform in [10, 15) ms, election timeout uniform in
// [100, 200) ms. These are exactly RaftScope's defaults (raft.js works in
// microseconds: MIN_RPC_LATENCY=10000, MAX_RPC_LATENCY=15000,
// ELECTION_TIMEOUT=100000 with alarm = now + (1 + rand) * ELECTION_TIMEOUT);
// the harness sets them explicitly anyway.
//
// How time advances: raft.js has no event queue. raft.update(model) checks
// every rule of every server at model.time, then delivers every message with
// recvTime <= model.time. The browser calls it once per animation frame. Here
// we instead jump model.time straight to the next instant at which something
// can happen (earliest message recvTime or the earliest timer that matters in
// a server's current state) and call raft.update once there. Events counted:
//   deliveries   = messages delivered (recvTime <= time at an update)
//   timer fires  = per server, per instant at which one of its timers is due
//                  (follower/candidate election alarm, candidate RequestVote
//                  retry, leader heartbeat; a leader's 4 per-peer heartbeats
//                  are always due together and count as one fire)
// Extra update calls with no event: when a vote reply gives a candidate a
// majority, raft.js only makes it leader on the *next* update, so we run one
// more update at the same instant (counted in "updates", not in "events").
// Math.random inside the model is replaced by a seeded PRNG so every run
// simulates exactly the same history (same event count every run).
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const dir = process.argv[2] || process.env.RAFTSCOPE_DIR;
if (!dir || !fs.existsSync(path.join(dir, 'raft.js'))) {
  console.error('usage: node raftscope-bench.js /path/to/raftscope-checkout');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS || 21);
const WARMUP = Number(process.env.WARMUP || 5);
const SEED = Number(process.env.SEED || 1);
const SIM_SECONDS = Number(process.env.SIM_SECONDS || 60);
const CHECKPOINT = process.env.CHECKPOINT === '1';
const END_US = SIM_SECONDS * 1e6; // RaftScope time unit is the microsecond

// Code run inside the vm context before RaftScope's files: stand-ins for the
// two jQuery calls util.js makes ($.map over an object's values, and
// jQuery.extend(true, {}, x) deep copy used by util.clone/state.js), plus a
// seeded PRNG (mulberry32) replacing Math.random. Defined inside the context
// so that all arrays/objects the model sees come from one realm.
const PRELUDE = `
  // Same shape as jQuery 2.0.3's $.map (the jQuery RaftScope ships) on a
  // plain object: for-in, drop null results, flatten with concat.apply.
  // (jQuery's isArraylike/type checks are omitted.)
  var $ = { map: function (obj, fn) {
    var out = [];
    for (var k in obj) { var v = fn(obj[k], k); if (v != null) out[out.length] = v; }
    return [].concat.apply([], out);
  } };
  var jQuery = { extend: function (deep, target, src) {
    var copy = function (v) {
      if (Array.isArray(v)) return v.map(copy);
      if (v !== null && typeof v === 'object') {
        var o = {};
        for (var k in v) if (v[k] !== undefined) o[k] = copy(v[k]);
        return o;
      }
      return v;
    };
    for (var k in src) if (src[k] !== undefined) target[k] = copy(src[k]);
    return target;
  } };
  var __seed = 1;
  Math.random = function () {
    __seed = (__seed + 0x6D2B79F5) | 0;
    var t = __seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
`;
// Code run after RaftScope's files: workload parameters and a model factory
// mirroring script.js's setup (servers 1..N, each with all others as peers).
const SETUP = `
  NUM_SERVERS = 5;
  MIN_RPC_LATENCY = 10000;   // 10 ms
  MAX_RPC_LATENCY = 15000;   // 15 ms
  ELECTION_TIMEOUT = 100000; // alarms in [100, 200) ms
  var __newModel = function (seed) {
    __seed = seed;
    var model = { servers: [], messages: [], time: 0 };
    for (var i = 1; i <= NUM_SERVERS; i += 1) {
      var peers = [];
      for (var j = 1; j <= NUM_SERVERS; j += 1) if (i != j) peers.push(j);
      model.servers.push(raft.server(i, peers));
    }
    return model;
  };
  // Optional: RaftScope's checkpointing from state.js, with the updater that
  // script.js installs (update, deep-compare with last checkpoint, clone).
  var __newState = function (model) {
    var state = makeState(model);
    state.updater = function (state) {
      raft.update(state.current);
      var time = state.current.time;
      var base = state.base(time);
      state.current.time = base.time;
      var same = util.equals(state.current, base);
      state.current.time = time;
      return !same;
    };
    state.init();
    return state;
  };
`;

// Load RaftScope's files as the browser does: plain scripts sharing one
// global. By default that global is node's own (vm.runInThisContext), like a
// browser page's. SANDBOX=1 uses a separate vm.createContext instead; V8 then
// routes every global lookup (util, raft, NUM_SERVERS, Math...) through the
// context's interceptors, which made the model about 2.5x slower here.
const SANDBOX = process.env.SANDBOX === '1';
const ctx = SANDBOX ? vm.createContext({ console }) : null;
const run = (code, filename) =>
  SANDBOX ? vm.runInContext(code, ctx, { filename }) : vm.runInThisContext(code, { filename });
run(PRELUDE, 'prelude');
const defaults = {};
for (const f of ['util.js', 'raft.js', 'state.js']) {
  run(fs.readFileSync(path.join(dir, f), 'utf8'), f);
  if (f === 'raft.js')
    for (const k of ['NUM_SERVERS', 'MIN_RPC_LATENCY', 'MAX_RPC_LATENCY', 'ELECTION_TIMEOUT', 'RPC_TIMEOUT'])
      defaults[k] = run(k, 'defaults');
}
run(SETUP, 'setup');
const raft = run('raft', 'get');
const newModel = run('__newModel', 'get');
const newState = run('__newState', 'get');
const MAJORITY = Math.floor(5 / 2);

// Earliest time at which a timer of server s matters in its current state.
function timerDue(s) {
  let t = Infinity;
  if (s.state === 'follower' || s.state === 'candidate') t = s.electionAlarm;
  for (const p of s.peers) {
    if (s.state === 'candidate' && s.rpcDue[p] < t) t = s.rpcDue[p];
    if (s.state === 'leader') {
      if (s.heartbeatDue[p] < t) t = s.heartbeatDue[p];
      if (s.nextIndex[p] <= s.log.length && s.rpcDue[p] < t) t = s.rpcDue[p];
    }
  }
  return t;
}
// A candidate holding a majority becomes leader at the next update call.
function leaderPending(s) {
  if (s.state !== 'candidate') return false;
  let votes = 0;
  for (const p of s.peers) if (s.voteGranted[p]) votes++;
  return votes + 1 > MAJORITY;
}

// One simulated run, event-driven: find the next instant, count what fires
// there, call raft.update. If `schedule` is given, the instants are appended
// to it (used to replay exactly the same run without the scheduling scan).
function simulate(schedule) {
  const model = newModel(SEED);
  const state = CHECKPOINT ? newState(model) : null;
  const c = { deliveries: 0, timerFires: 0, updates: 0, leadersElected: 0,
              maxTerm: 0, firstLeaderMs: -1, lastLeaderChangeMs: -1, leader: 0 };
  const leaderTerm = [0, 0, 0, 0, 0, 0];
  for (;;) {
    // Next instant: earliest delivery or timer, or "now" if a rule is pending.
    let t = Infinity;
    const msgs = model.messages;
    for (let i = 0; i < msgs.length; i++) if (msgs[i].recvTime < t) t = msgs[i].recvTime;
    for (const s of model.servers) {
      const d = leaderPending(s) ? model.time : timerDue(s);
      if (d < t) t = d;
    }
    if (t > END_US) break;
    if (t < model.time) t = model.time;
    // Count what fires at t (ties between random float times are negligible).
    for (let i = 0; i < msgs.length; i++) if (msgs[i].recvTime <= t) c.deliveries++;
    for (const s of model.servers) if (timerDue(s) <= t) c.timerFires++;
    if (state) state.advance(t); // sets model.time, runs raft.update, checkpoints
    else { model.time = t; raft.update(model); }
    c.updates++;
    if (schedule) schedule.push(t);
    for (const s of model.servers) {
      if (s.state === 'leader' && leaderTerm[s.id] !== s.term) {
        leaderTerm[s.id] = s.term;
        c.leadersElected++;
        c.leader = s.id;
        if (c.firstLeaderMs < 0) c.firstLeaderMs = t / 1000;
        c.lastLeaderChangeMs = t / 1000;
      }
      if (s.term > c.maxTerm) c.maxTerm = s.term;
    }
  }
  return fingerprint(model, c);
}
// Model-only run: replay the recorded instants, no scanning or counting.
function replay(schedule) {
  const model = newModel(SEED);
  const state = CHECKPOINT ? newState(model) : null;
  for (let i = 0; i < schedule.length; i++) {
    if (state) state.advance(schedule[i]);
    else { model.time = schedule[i]; raft.update(model); }
  }
  return fingerprint(model, null);
}
// Final-state summary, to check every run simulated the same history.
function fingerprint(model, c) {
  return { c, end: JSON.stringify([model.time, model.messages.length,
    model.servers.map((s) => [s.state, s.term, s.votedFor, s.electionAlarm])]) };
}

// Untimed reference run: counts events and records the schedule.
const schedule = [];
const ref = simulate(schedule);
const counts = ref.c;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
function time(fn) {
  const wall = [];
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const t0 = process.hrtime.bigint();
    const f = fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (f.end !== ref.end) throw new Error('run diverged from reference run');
    if (r >= WARMUP) wall.push(ms);
  }
  return { med: median(wall), min: Math.min(...wall), max: Math.max(...wall) };
}
const full = time(() => simulate(null));
const model = time(() => replay(schedule));

const events = counts.deliveries + counts.timerFires;
const line = (name, w) => console.log(`${name}: wall ms median ${w.med.toFixed(3)} (min ${w.min.toFixed(3)}, max ${w.max.toFixed(3)}); ` +
  `ns/event ${(w.med * 1e6 / events).toFixed(1)}; ns/update ${(w.med * 1e6 / counts.updates).toFixed(1)}`);
console.log(`node ${process.version}; raft.js defaults: ${JSON.stringify(defaults)}`);
console.log(`workload: 5 servers, ${SIM_SECONDS} s simulated, latency 10-15 ms, election timeout 100-200 ms, seed ${SEED}, ` +
            (SANDBOX ? 'separate vm context' : 'main context') + (CHECKPOINT ? ', WITH state.js checkpointing' : ', raft.js model only'));
console.log(`events: ${events} (deliveries ${counts.deliveries} + timer fires ${counts.timerFires}); raft.update calls: ${counts.updates}`);
console.log(`timing: median of ${RUNS} runs after ${WARMUP} warmup runs`);
line('event-driven (scan for next instant + raft.update)', full);
line('model only (replay recorded instants, raft.update)', model);
console.log(`sanity: leaders elected ${counts.leadersElected}, max term ${counts.maxTerm}, first leader at ${counts.firstLeaderMs.toFixed(3)} ms, ` +
            `last leader change at ${counts.lastLeaderChangeMs.toFixed(3)} ms, final leader S${counts.leader}`);
