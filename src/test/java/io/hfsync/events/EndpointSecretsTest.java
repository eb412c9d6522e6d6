package io.hfsync.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each form of credential an events endpoint URI can carry is masked, as written and as decoded. */
class EndpointSecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://alice:S3cretPw@127.0.0.1:8000/hook | S3cretPw",
            "https://ghp_TokenOnly123@hooks.example.com/x | ghp_TokenOnly123",
            "paho-mqtt5:hf/events?brokerUrl=tcp://127.0.0.1:1883&userName=hf&password=MqttPw42 | MqttPw42",
            "nats:hf.events?servers=127.0.0.1:4222&authPassword=NatsPw99 | NatsPw99",
            "http://127.0.0.1:8000/hook?apiKey=K3y-abc | K3y-abc",
            "http://127.0.0.1:8000/hook?token=tok%2Fen77 | tok/en77",
            "http://127.0.0.1:8000/hook?signature=sig0987 | sig0987",
            "https://hooks.slack.com/services/T0AAA1111/B0BBB2222/XyZ0123456789abcdefghijk | XyZ0123456789abcdefghijk",
            "https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz | AbCdEfGhIjKlMnOpQrStUvWxYz",
            "http://127.0.0.1:8000/hook?password=RAW(p&w=1) | p&w=1"})
    void should_mask_every_form_of_credential(String uri, String secret) {
        EndpointSecrets secrets = EndpointSecrets.of(uri);

        String masked = secrets.mask("IOException: POST " + uri + " failed; " + secret);

        assertFalse(masked.contains(secret), masked);
        assertTrue(masked.contains(EndpointSecrets.MASK), masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:8000/hook | http://127.0.0.1:8000/hook",
            "nats:hf.gguf.events?servers=127.0.0.1:4222 | nats:hf.gguf.events?servers=127.0.0.1:4222",
            "paho-mqtt5:hf/gguf/events?brokerUrl=tcp://127.0.0.1:1883&qos=1 | paho-mqtt5:hf/gguf/events?brokerUrl=tcp://127.0.0.1:1883&qos=1"})
    void should_leave_a_uri_without_credentials_readable(String uri, String shown) {
        assertEquals(shown, EndpointSecrets.of(uri).mask(uri));
    }
}
