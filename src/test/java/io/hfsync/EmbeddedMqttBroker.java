package io.hfsync;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An MQTT 5 broker in the test JVM, on 127.0.0.1, for a machine without one (MachineServices): what the tests need of
 * Mosquitto and no more. It relays each PUBLISH to the clients subscribed to exactly that topic at the lower of the two
 * QoS levels, acknowledges QoS 1 both ways (vertx-mqtt's automatic acks), keeps no session and no retained message,
 * and stops and starts on the same port as a restarted broker does. (Moquette, the usual embedded Java broker, speaks
 * MQTT 5 only from 0.18, which this machine's Maven mirror does not serve.)
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    /** Topic → subscribed client → the QoS it asked for. */
    private final Map<String, Map<MqttEndpoint, MqttQoS>> subscribers = new ConcurrentHashMap<>();
    private final Set<MqttEndpoint> clients = ConcurrentHashMap.newKeySet();
    private volatile MqttServer server;
    private volatile boolean listening;
    private volatile int port;

    private EmbeddedMqttBroker() {
    }

    /** A broker on a free loopback port. */
    public static EmbeddedMqttBroker start() {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker();
        broker.listen(0);
        return broker;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Closes every connection and stops listening, as a stopped broker does. */
    public void stop() {
        listening = false;
        clients.forEach(MqttEndpoint::close);
        clients.clear();
        subscribers.clear();
        await(server.close());
    }

    /** Listens again on the port it had. */
    public void restart() {
        listen(port);
    }

    private void listen(int onPort) {
        MqttServer created = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(onPort));
        created.endpointHandler(this::accept);
        server = await(created.listen());
        port = server.actualPort();
        listening = true;
    }

    private void accept(MqttEndpoint client) {
        clients.add(client);
        client.publishAutoAck(true).subscriptionAutoAck(true);
        client.subscribeHandler(subscribe -> {
            for (MqttTopicSubscription topic : subscribe.topicSubscriptions()) {
                subscribers.computeIfAbsent(topic.topicName(), t -> new ConcurrentHashMap<>())
                        .put(client, topic.qualityOfService());
            }
        });
        client.unsubscribeHandler(unsubscribe -> unsubscribe.topics()
                .forEach(topic -> subscribers.getOrDefault(topic, Map.of()).remove(client)));
        client.publishHandler(message -> subscribers.getOrDefault(message.topicName(), Map.of()).forEach(
                (subscriber, qos) -> subscriber.publish(message.topicName(), message.payload(),
                        MqttQoS.valueOf(Math.min(qos.value(), message.qosLevel().value())), false, false)));
        client.closeHandler(closed -> {
            clients.remove(client);
            subscribers.values().forEach(topic -> topic.remove(client));
        });
        client.accept(false);
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("embedded MQTT broker", e);
        }
    }

    @Override
    public void close() {
        if (listening) {
            stop();
        }
        await(vertx.close());
    }
}
