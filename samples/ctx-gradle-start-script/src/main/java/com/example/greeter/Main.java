package com.example.greeter;

public final class Main {
	public static void main(String[] args) {
		System.out.println("hello from greeter " + String.join(" ", args));
	}
}
