package io.uplink.it.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts the test probe under {@code /uplink/probe}. */
@ApplicationPath("probe")
public class ProbeApplication extends Application {}
