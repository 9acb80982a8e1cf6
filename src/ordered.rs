//! Parallel work, results in input order. A feeder thread reads inputs, workers on a rayon
//! pool take the next one as soon as they are free (no barrier between batches), and the
//! calling thread hands each result on as soon as all earlier ones are done. At most `ahead`
//! inputs are in flight or waiting to be written, so memory stays bounded however many
//! inputs there are, and a result is written even while the next input is slow to arrive
//! (a stream on stdin).

use std::any::Any;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

/// Where finished work goes, in input order.
pub trait Sink<T, R> {
    type Error;
    fn done(&mut self, input: T, result: R) -> Result<(), Self::Error>;
}

enum Job<T> {
    Work(usize, T),
    Stop,
}

enum Event<T, R> {
    Done(usize, T, R),
    /// The feeder has read every input; this many.
    Fed(usize),
    Panicked(Box<dyn Any + Send>),
}

/// Run `work` on every input on `pool`'s threads and give the results to `sink` in order.
/// If the sink fails, workers stop taking inputs and the error is returned.
pub fn run<T, R, S>(
    pool: &rayon::ThreadPool,
    inputs: impl Iterator<Item = T> + Send + 'static,
    ahead: usize,
    work: impl Fn(&T) -> R + Sync,
    sink: &mut S,
) -> Result<(), S::Error>
where
    T: Send + 'static,
    R: Send + 'static,
    S: Sink<T, R>,
{
    let threads = pool.current_num_threads();
    let (job_tx, job_rx) = mpsc::channel::<Job<T>>();
    let (event_tx, event_rx) = mpsc::channel::<Event<T, R>>();
    let free_slots = feed(inputs, ahead.max(1), job_tx.clone(), event_tx.clone());
    let job_rx = Mutex::new(job_rx);
    let stopped = AtomicBool::new(false);
    pool.in_place_scope(|scope| {
        for _ in 0..threads {
            let event_tx = event_tx.clone();
            let (job_rx, stopped, work) = (&job_rx, &stopped, &work);
            scope.spawn(move |_| worker(job_rx, stopped, work, &event_tx));
        }
        let outcome = collect(&event_rx, &free_slots, sink);
        stopped.store(true, Ordering::Relaxed);
        for _ in 0..threads {
            // Workers end on these; the scope waits for them.
            let _ = job_tx.send(Job::Stop);
        }
        outcome
    })
    .unwrap_or_else(|payload| panic::resume_unwind(payload))
}

/// Reads inputs on a thread of its own, each once a slot is free (a token on the returned
/// channel). It is not joined: after a failed write it may be blocked reading stdin, and
/// it ends with the process.
fn feed<T: Send + 'static, R: Send + 'static>(
    inputs: impl Iterator<Item = T> + Send + 'static,
    ahead: usize,
    jobs: mpsc::Sender<Job<T>>,
    events: mpsc::Sender<Event<T, R>>,
) -> mpsc::SyncSender<()> {
    let (slot_tx, slot_rx) = mpsc::sync_channel::<()>(ahead);
    for _ in 0..ahead {
        let _ = slot_tx.send(());
    }
    std::thread::spawn(move || {
        let mut count = 0;
        for input in inputs {
            if slot_rx.recv().is_err() || jobs.send(Job::Work(count, input)).is_err() {
                return;
            }
            count += 1;
        }
        let _ = events.send(Event::Fed(count));
    });
    slot_tx
}

fn worker<T, R>(
    jobs: &Mutex<mpsc::Receiver<Job<T>>>,
    stopped: &AtomicBool,
    work: &(impl Fn(&T) -> R + Sync),
    events: &mpsc::Sender<Event<T, R>>,
) {
    loop {
        let job = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return,
        };
        let Ok(Job::Work(index, input)) = job else {
            return;
        };
        if stopped.load(Ordering::Relaxed) {
            continue;
        }
        let event = match panic::catch_unwind(AssertUnwindSafe(|| work(&input))) {
            Ok(result) => Event::Done(index, input, result),
            Err(payload) => Event::Panicked(payload),
        };
        if events.send(event).is_err() {
            return;
        }
    }
}

/// Hand results on in input order until every fed input is written. A worker's panic is
/// passed up as `Err` of the outer result once the workers are stopped.
fn collect<T, R, S: Sink<T, R>>(
    events: &mpsc::Receiver<Event<T, R>>,
    free_slots: &mpsc::SyncSender<()>,
    sink: &mut S,
) -> Result<Result<(), S::Error>, Box<dyn Any + Send>> {
    let mut next = 0;
    let mut total = None;
    let mut finished: BTreeMap<usize, (T, R)> = BTreeMap::new();
    while total != Some(next) {
        // Every sender of events lives until the run ends, so this only fails if a thread
        // died without reporting, which `catch_unwind` rules out.
        let Ok(event) = events.recv() else {
            return Ok(Ok(()));
        };
        match event {
            Event::Fed(count) => total = Some(count),
            Event::Panicked(payload) => return Err(payload),
            Event::Done(index, input, result) => {
                finished.insert(index, (input, result));
            }
        }
        while let Some((input, result)) = finished.remove(&next) {
            if let Err(err) = sink.done(input, result) {
                return Ok(Err(err));
            }
            next += 1;
            let _ = free_slots.send(());
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        seen: Vec<(usize, usize)>,
        fail_after: Option<usize>,
    }

    impl Sink<usize, usize> for Collect {
        type Error = String;
        fn done(&mut self, input: usize, result: usize) -> Result<(), String> {
            if self.fail_after == Some(self.seen.len()) {
                return Err("closed".into());
            }
            self.seen.push((input, result));
            Ok(())
        }
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn results_come_in_input_order_whatever_the_timing() {
        let mut sink = Collect::default();
        let early_ones_finish_last = |&n: &usize| {
            std::thread::sleep(std::time::Duration::from_micros(((50 - n) * 20) as u64));
            n * 2
        };
        run(&pool(4), 0..50, 8, early_ones_finish_last, &mut sink).unwrap();
        let expected: Vec<(usize, usize)> = (0..50).map(|n| (n, n * 2)).collect();
        assert_eq!(sink.seen, expected);
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let mut sink = Collect {
            fail_after: Some(3),
            ..Collect::default()
        };
        let err = run(&pool(2), 0..1_000_000, 4, |&n| n, &mut sink).unwrap_err();
        assert_eq!(err, "closed");
        assert_eq!(sink.seen.len(), 3);
    }

    #[test]
    fn no_inputs_is_no_work() {
        let mut sink = Collect::default();
        run(&pool(2), std::iter::empty(), 4, |&n: &usize| n, &mut sink).unwrap();
        assert!(sink.seen.is_empty());
    }

    #[test]
    #[should_panic(expected = "worker failed")]
    fn a_panicking_worker_is_re_raised_not_a_hang() {
        let mut sink = Collect::default();
        let _ = run(
            &pool(2),
            0..100,
            4,
            |&n: &usize| if n == 7 { panic!("worker failed") } else { n },
            &mut sink,
        );
    }
}
