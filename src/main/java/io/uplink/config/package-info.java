/**
 * Uplink's settings: read once from MicroProfile Config at deployment, validated as a whole, and
 * handed to the rest of the gateway as immutable records. A missing or invalid setting fails the
 * deployment with a message that names the key; secrets never appear in messages.
 */
package io.uplink.config;
