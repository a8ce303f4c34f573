package dev.jrun.cli;

import dev.jrun.model.ResourceStats;
import dev.jrun.oci.OciJson;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The events {@code runc events} prints, one JSON object a line: {@code {"type":"stats","id":ID,
 * "data":{...}}} with runc's names for the statistics, and {@code {"type":"oom","id":ID}}.
 */
final class RuncEvents {

    private RuncEvents() {
    }

    /** {@return the stats event for the container {@code id}} */
    static String stats(String id, ResourceStats stats) {
        Map<String, Object> event = event("stats", id);
        Map<String, Object> data = object(event, "data");
        stats.cpu().ifPresent(cpu -> {
            Map<String, Object> node = object(data, "cpu");
            Map<String, Object> usage = object(node, "usage");
            usage.put("total", cpu.usageNanos());
            usage.put("kernel", cpu.systemNanos());
            usage.put("user", cpu.userNanos());
            Map<String, Object> throttling = object(node, "throttling");
            throttling.put("periods", cpu.periods());
            throttling.put("throttledPeriods", cpu.throttledPeriods());
            throttling.put("throttledTime", cpu.throttledNanos());
        });
        stats.memory().ifPresent(memory -> {
            Map<String, Object> usage = object(object(data, "memory"), "usage");
            usage.put("usage", memory.usageBytes());
            usage.put("max", memory.maxUsageBytes());
            putLimit(usage, memory.limitBytes());
        });
        stats.pids().ifPresent(pids -> {
            Map<String, Object> node = object(data, "pids");
            node.put("current", pids.current());
            putLimit(node, pids.limit());
        });
        return OciJson.writeLine(event);
    }

    /** {@return the event saying the OOM killer ended a process of the container {@code id}} */
    static String oom(String id) {
        return OciJson.writeLine(event("oom", id));
    }

    private static Map<String, Object> event(String type, String id) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("id", id);
        return event;
    }

    /** {@return a new object at {@code name} in {@code parent}} */
    private static Map<String, Object> object(Map<String, Object> parent, String name) {
        Map<String, Object> child = new LinkedHashMap<>();
        parent.put(name, child);
        return child;
    }

    /** runc leaves an unlimited limit out. */
    private static void putLimit(Map<String, Object> node, OptionalLong limit) {
        limit.ifPresent(value -> node.put("limit", value));
    }
}
