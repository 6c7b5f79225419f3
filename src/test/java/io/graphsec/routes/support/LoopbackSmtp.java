package io.graphsec.routes.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** The tests' SMTP server: GreenMail on a loopback port, not yet started. */
public final class LoopbackSmtp {

    private LoopbackSmtp() {
    }

    public static GreenMail on(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        // GreenMail allows 2 s to start by default; on a loaded CI machine a start took longer.
        setup.setServerStartupTimeout(15_000);
        return new GreenMail(setup);
    }
}
