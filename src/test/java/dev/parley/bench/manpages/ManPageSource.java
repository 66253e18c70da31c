package dev.parley.bench.manpages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The corpus's threads from unpacked Debian packages: {@code root/<package>/usr/share/man/man<N>/*}
 * for each package and section the manifest names. Links ({@code .so} pages and symbolic links) and
 * mdoc pages are skipped; a page name already read from an earlier package is skipped too.
 */
public final class ManPageSource {

    /** A manifest line: a Debian package, its pinned version and the manual sections read from it. */
    public record Package(String name, String version, List<String> sections) {
    }

    /** The threads and what was left out, in the manifest's order and then by page key. */
    public record Corpus(List<ManCorpus.Thread> threads, Map<String, String> packageOfThread, int links,
                         int mdoc, int duplicates, int empty) {
    }

    private ManPageSource() {
    }

    public static List<Package> manifest(List<String> lines) {
        List<Package> packages = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] f = trimmed.split("\\s+");
            packages.add(new Package(f[0], f[1], List.of(f[2].split(","))));
        }
        return packages;
    }

    public static Corpus read(Path root, List<Package> packages) throws IOException {
        Map<String, ManCorpus.Thread> threads = new LinkedHashMap<>();
        Map<String, String> packageOf = new LinkedHashMap<>();
        int links = 0;
        int mdoc = 0;
        int duplicates = 0;
        int empty = 0;
        for (Package pkg : packages) {
            for (String section : pkg.sections()) {
                Path dir = root.resolve(pkg.name()).resolve("usr/share/man/man" + section);
                if (!Files.isDirectory(dir)) {
                    throw new IOException("no " + dir + ": was " + pkg.name() + " unpacked there?");
                }
                List<Path> files;
                try (Stream<Path> list = Files.list(dir)) {
                    files = list.sorted(Comparator.comparing(Path::toString)).toList();
                }
                for (Path file : files) {
                    if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) {
                        links++;
                        continue;
                    }
                    String roff = text(file);
                    if (ManPageParser.isLink(roff)) {
                        links++;
                        continue;
                    }
                    if (ManPageParser.isMdoc(roff)) {
                        mdoc++;
                        continue;
                    }
                    String key = key(file.getFileName().toString());
                    if (threads.containsKey(key)) {
                        duplicates++;
                        continue;
                    }
                    ManCorpus.Thread thread = ManCorpus.thread(key, ManPageParser.parse(roff));
                    if (thread.posts().isEmpty() || thread.summary().isEmpty()) {
                        empty++;
                        continue;
                    }
                    threads.put(key, thread);
                    packageOf.put(key, pkg.name());
                }
            }
        }
        return new Corpus(List.copyOf(threads.values()), packageOf, links, mdoc, duplicates, empty);
    }

    /** "open.2.gz" as "open(2)", "sysctl.conf.5.gz" as "sysctl.conf(5)". */
    static String key(String fileName) {
        String name = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot) + "(" + name.substring(dot + 1) + ")";
    }

    private static String text(Path file) {
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
