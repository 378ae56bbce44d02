// COOPMAP_SCANMERGE: Concatenate the motif slices of one scan (byte-identical to the unsharded sites.tsv).
// The command line follows stage "scan_merge" of workflows/stages.yaml (tests/nextflow.bats checks it);
// the stage options come from task.ext.args (conf/modules.config).
process COOPMAP_SCANMERGE {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(shards)

    output:
    tuple val(meta), path("*.sites.tsv"), emit: sites
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    coopmap-scan --merge -o ${prefix}.sites.tsv ${shards}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-scan --version | sed 's/^coopmap-scan //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.sites.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-scan --version | sed 's/^coopmap-scan //')
    END_VERSIONS
    """
}
