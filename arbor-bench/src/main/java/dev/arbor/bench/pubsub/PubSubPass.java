package dev.arbor.bench.pubsub;

import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.bench.data.Scale;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P1 over one {@link PubSub}: one publisher thread publishes the scale's messages to a topic as fast as it can;
 * each subscriber (default capacity, so the bounded queue and its drop-oldest policy are what an application
 * gets) receives on a platform thread of its own, then, with 100 subscribers, on a virtual thread of its own. The clock stops when every subscriber has accounted for every
 * message, received or dropped: the last message is never dropped (a full queue drops its oldest), so a subscriber
 * is done when it has received the last one, and by then every drop before it is counted.
 */
public final class PubSubPass {
    private static final String TOPIC = "bench";

    private final PubSub pubSub;
    private final Scale scale;

    public PubSubPass(PubSub pubSub, Scale scale) {
        this.pubSub = pubSub;
        this.scale = scale;
    }

    /** A message as an application would publish one: a small record, serialised to JSON once per publish. */
    record Payload(long seq, String text) {}

    public List<Measurement> run() throws InterruptedException {
        Round one = round(1, scale.messages(1), Thread.ofPlatform().daemon());
        Round hundred = round(100, scale.messages(100), Thread.ofPlatform().daemon());
        Round virtual = round(100, scale.messages(100), Thread.ofVirtual());
        return List.of(Measurement.ok(Metric.P1_ONE, one.messages / one.seconds, one.messages),
                Measurement.ok(Metric.P1_HUNDRED, hundred.messages / hundred.seconds, hundred.messages),
                Measurement.ok(Metric.P1_HUNDRED_DELIVERIES, hundred.received / hundred.seconds, hundred.received),
                Measurement.ok(Metric.P1_HUNDRED_DROPPED, hundred.dropped, null),
                Measurement.ok(Metric.P1_HUNDRED_VIRTUAL, virtual.messages / virtual.seconds, virtual.messages),
                Measurement.ok(Metric.P1_HUNDRED_VIRTUAL_DELIVERIES, virtual.received / virtual.seconds, virtual.received));
    }

    private record Round(long messages, double seconds, long received, long dropped) {}

    private Round round(int subscriberCount, int messages, Thread.Builder receiverThreads) throws InterruptedException {
        List<Subscriber> subscribers = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(subscriberCount);
        AtomicLong received = new AtomicLong();
        for (int i = 0; i < subscriberCount; i++) {
            Subscriber s = pubSub.createSubscriber();
            s.subscribeTo(TOPIC);
            subscribers.add(s);
            readers.add(receiverThreads.name("p1-subscriber-" + i).start(() -> {
                long mine = 0;
                try {
                    while (s.receive().isPresent()) {
                        mine++;
                        if (mine + s.droppedCount() == messages) {
                            break;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    received.addAndGet(mine);
                    done.countDown();
                }
            }));
        }
        long start = System.nanoTime();
        for (long seq = 0; seq < messages; seq++) {
            pubSub.publish(TOPIC, new Payload(seq, "hello"));
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long dropped = subscribers.stream().mapToLong(Subscriber::droppedCount).sum();
        subscribers.forEach(Subscriber::close);
        for (Thread t : readers) {
            t.join();
        }
        if (received.get() + dropped != (long) messages * subscriberCount) {
            throw new IllegalStateException("subscribers accounted for " + (received.get() + dropped) + " of "
                    + (long) messages * subscriberCount + " deliveries");
        }
        return new Round(messages, seconds, received.get(), dropped);
    }
}
