package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate credentials end to end: MSAL4J signs a client assertion with the app's key, the
 * simulator checks it against the registered certificate, and alerts flow.
 */
class CertificateCredentialTest {

    @TempDir
    Path dir;

    private static final String P12_PASSWORD = "p12-pass-Tq9Wz4Lm";

    @ParameterizedTest
    @ValueSource(strings = {"app.p12", "app.pem"})
    void an_app_with_a_certificate_gets_a_token_and_its_alerts(String file) throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        X509Certificate cert = selfSigned(keys);
        Path credential = dir.resolve(file);
        if (file.endsWith(".p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("app", keys.getPrivate(), P12_PASSWORD.toCharArray(), new X509Certificate[] {cert});
            try (OutputStream out = Files.newOutputStream(credential)) {
                ks.store(out, P12_PASSWORD.toCharArray());
            }
        } else {
            try (Writer w = Files.newBufferedWriter(credential); JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(keys.getPrivate());
                pem.writeObject(cert);
            }
        }

        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            String certClient = "cccccccc-0000-0000-0000-000000000001";
            tenant.simulator.registerCertificateClient(SimulatedTenant.TENANT, certClient, cert, "SecurityAlert.Read.All");
            tenant.addAlerts(10);
            int brokerPort = RunningApp.freePort();
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), brokerPort));
            props.putAll(tenant.appProperties());
            props.put("graph.client-id", certClient);
            props.put("graph.client-secret", "");
            props.put("graph.client-certificate", credential.toString());
            props.put("graph.client-certificate-password", P12_PASSWORD);
            try (LogCapture log = new LogCapture(Map.of("io.graphsec", org.apache.logging.log4j.Level.DEBUG,
                    "com.microsoft.aad.msal4j", org.apache.logging.log4j.Level.DEBUG));
                    RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                var delivered = AlertsToQueuesTest.collectUntil(queues, 10);
                assertThat(AlertsToQueuesTest.total(delivered)).isEqualTo(10);
                assertThat(tenant.simulator.tokenRequests()).isEqualTo(1);
                // The key's password opens the file and goes nowhere else: not to a log line, a message or Graph.
                assertThat(log.text()).as("the log").isNotEmpty().doesNotContain(P12_PASSWORD);
                delivered.values().forEach(ms -> ms.forEach(m -> assertThat(m.body() + m.properties())
                        .doesNotContain(P12_PASSWORD)));
                assertThat(tenant.simulator.requestsSeen()).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.rawPath() + "?" + r.rawQuery() + r.headers() + r.body())
                                .doesNotContain(P12_PASSWORD));
            }
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=graph-security-routes test app");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

}
