package dev.jrun.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.model.ResourceStats;

import java.util.OptionalLong;

/**
 * The events {@code runc events} prints, one JSON object a line: {@code {"type":"stats","id":ID,
 * "data":{...}}} with runc's names for the statistics, and {@code {"type":"oom","id":ID}}.
 */
final class RuncEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuncEvents() {
    }

    /** {@return the stats event for the container {@code id}} */
    static String stats(String id, ResourceStats stats) {
        ObjectNode event = event("stats", id);
        ObjectNode data = event.putObject("data");
        stats.cpu().ifPresent(cpu -> {
            ObjectNode node = data.putObject("cpu");
            node.putObject("usage").put("total", cpu.usageNanos()).put("kernel", cpu.systemNanos())
                    .put("user", cpu.userNanos());
            node.putObject("throttling").put("periods", cpu.periods()).put("throttledPeriods", cpu.throttledPeriods())
                    .put("throttledTime", cpu.throttledNanos());
        });
        stats.memory().ifPresent(memory -> {
            ObjectNode usage = data.putObject("memory").putObject("usage");
            usage.put("usage", memory.usageBytes()).put("max", memory.maxUsageBytes());
            putLimit(usage, memory.limitBytes());
        });
        stats.pids().ifPresent(pids -> putLimit(data.putObject("pids").put("current", pids.current()), pids.limit()));
        return event.toString();
    }

    /** {@return the event saying the OOM killer ended a process of the container {@code id}} */
    static String oom(String id) {
        return event("oom", id).toString();
    }

    private static ObjectNode event(String type, String id) {
        return JSON.createObjectNode().put("type", type).put("id", id);
    }

    /** runc leaves an unlimited limit out. */
    private static void putLimit(ObjectNode node, OptionalLong limit) {
        limit.ifPresent(value -> node.put("limit", value));
    }
}
