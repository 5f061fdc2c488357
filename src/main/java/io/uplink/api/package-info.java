/**
 * The admin REST API under {@code /uplink/api}: send downstream messages and read their state. Only
 * authenticated users in the {@code admin} role may call it (BASIC authentication against a Payara
 * realm; see README).
 */
package io.uplink.api;
