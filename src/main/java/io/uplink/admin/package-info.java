/**
 * The admin REST API under {@code /uplink/api}: send downstream messages, read their state, and
 * read the gateway's status (for the dashboard). Only authenticated users in the {@code admin} role
 * may call it (BASIC authentication against a Payara realm; see README).
 */
package io.uplink.admin;
